import type { Role, UnitKind } from '../../roster/types';
import { select, type Executor } from '../../storage/sql';
import type { TalkPeriod } from './settings';

export interface QuotaUnit {
  id: number;
  name: string;
  kind: UnitKind;
  parentId: number | null;
}

export interface QuotaPerson {
  id: number;
  name: string;
  post: string;
  unitId: number;
  joinedOn: string | null;
  leftOn: string | null;
}

export interface QuotaRule {
  unitId: number;
  period: TalkPeriod;
  times: number;
}

export interface Adjustment {
  id: number;
  personId: number;
  kind: string;
  adjustedOn: string;
  endsOn: string;
  talkPeriod: TalkPeriod;
}

/** Everything a year's quotas are computed from, read in a fixed number of queries. */
export interface QuotaData {
  units: Map<number, QuotaUnit>;
  /** The people on the roster for some part of the year. */
  people: Map<number, QuotaPerson>;
  roles: { personId: number; role: Role; unitId: number }[];
  rules: QuotaRule[];
  adjustments: Adjustment[];
  /** Dates of the talks held, by `talkerId:talkeeId`, sorted. */
  talks: Map<string, string[]>;
}

const QUOTA_ROLES: Role[] = ['unitLeader', 'leadershipMember', 'departmentHead', 'supervisingLeader', 'partySecretary'];

export const pairKey = (talkerId: number, talkeeId: number): string => `${talkerId}:${talkeeId}`;

/** Six queries whatever the size of the roster: the quota computation itself is done in memory. */
export async function loadQuotaData(ex: Executor, year: number): Promise<QuotaData> {
  const yearStart = `${year}-01-01`;
  const yearEnd = `${year}-12-31`;
  const units = await select<{ id: number; name: string; kind: UnitKind; parent_id: number | null }>(ex, 'SELECT id, name, kind, parent_id FROM units');
  const people = await select<{ id: number; name: string; post: string; unit_id: number; joined_on: string | null; left_on: string | null }>(
    ex,
    `SELECT id, name, post, unit_id, joined_on, left_on FROM people
     WHERE (joined_on IS NULL OR joined_on <= ?) AND (left_on IS NULL OR left_on >= ?)`,
    [yearEnd, yearStart],
  );
  const roles = await select<{ person_id: number; role: Role; unit_id: number }>(
    ex,
    `SELECT person_id, role, unit_id FROM role_assignments WHERE role IN (${QUOTA_ROLES.map(() => '?').join(', ')})`,
    QUOTA_ROLES,
  );
  const rules = await select<{ unit_id: number; period: TalkPeriod; times: number }>(ex, 'SELECT unit_id, period, times FROM talk_quota_rules');
  const adjustments = await select<{ id: number; person_id: number; kind: string; adjusted_on: string; ends_on: string; talk_period: TalkPeriod }>(
    ex,
    'SELECT id, person_id, kind, adjusted_on, ends_on, talk_period FROM cadre_adjustments WHERE adjusted_on <= ? AND ends_on >= ?',
    [yearEnd, yearStart],
  );
  // An adjusted cadre's talk periods run from the adjustment date and may straddle the year.
  const from = adjustments.reduce((min, a) => (a.adjusted_on < min ? a.adjusted_on : min), yearStart);
  const to = adjustments.reduce((max, a) => (a.ends_on > max ? a.ends_on : max), yearEnd);
  const held = await select<{ talker_id: number; person_id: number; talked_on: string }>(
    ex,
    `SELECT t.talker_id, p.person_id, t.talked_on FROM talks t JOIN talk_participants p ON p.talk_id = t.id
     WHERE t.talked_on >= ? AND t.talked_on <= ? AND t.withdrawn_at IS NULL ORDER BY t.talked_on`,
    [from, to],
  );

  const talks = new Map<string, string[]>();
  for (const t of held) {
    const key = pairKey(Number(t.talker_id), Number(t.person_id));
    const dates = talks.get(key);
    if (dates) dates.push(t.talked_on);
    else talks.set(key, [t.talked_on]);
  }
  return {
    units: new Map(units.map((u) => [Number(u.id), { id: Number(u.id), name: u.name, kind: u.kind, parentId: u.parent_id === null ? null : Number(u.parent_id) }])),
    people: new Map(
      people.map((p) => [Number(p.id), { id: Number(p.id), name: p.name, post: p.post, unitId: Number(p.unit_id), joinedOn: p.joined_on, leftOn: p.left_on }]),
    ),
    roles: roles.map((r) => ({ personId: Number(r.person_id), role: r.role, unitId: Number(r.unit_id) })),
    rules: rules.map((r) => ({ unitId: Number(r.unit_id), period: r.period, times: Number(r.times) })),
    adjustments: adjustments.map((a) => ({
      id: Number(a.id), personId: Number(a.person_id), kind: a.kind, adjustedOn: a.adjusted_on, endsOn: a.ends_on, talkPeriod: a.talk_period,
    })),
    talks,
  };
}
