import type { OutboundMessage } from '../../channels/port';
import { zoneDate } from '../../clock';
import type { Role } from '../../roster/types';
import type { Executor } from '../../storage/sql';
import { BASIS_ANNUAL, headline, progressByTalker } from './progress';
import { loadQuotaData, pairKey, type QuotaData, type QuotaPerson, type QuotaRule, type QuotaUnit } from './quotaData';
import { PERIOD_MONTHS, type TalkPeriod, type TalkSettings } from './settings';
import { anchoredWindows, calendarWindows, countBetween, requiredTalks, type Slot } from './slots';

/** Why a talk is owed: 激励办法 第十一条（四） (the two annual rules) or 能上能下办法 第十四条. */
export type Reason = 'unitLeader' | 'supervisor' | 'adjusted';

export interface Obligation {
  talkerId: number;
  talkeeId: number;
  reasons: Reason[];
  /** The unit the rule comes from: the leader's unit, the supervised one, or the adjusted cadre's. */
  unitId: number;
  period: TalkPeriod;
  slots: Slot[];
}

export interface QuotaReport {
  year: number;
  asOf: string;
  obligations: Obligation[];
  people: Map<number, QuotaPerson>;
  units: Map<number, QuotaUnit>;
}

/** The policy's minimum when a unit has set nothing stricter: once a year. */
const DEFAULT_RULE = { period: 'year', times: 1 } as const;

const perYear = (rule: { period: TalkPeriod; times: number }) => (rule.times * 12) / PERIOD_MONTHS[rule.period];

/** The yearly talk quotas (激励办法 第十一条（四）, 能上能下办法 第十四条), computed from the roster. */
export class TalkQuotas {
  constructor(
    private readonly db: Executor,
    private readonly settings: TalkSettings,
  ) {}

  async compute(year: number, asOf: string, ex: Executor = this.db): Promise<QuotaReport> {
    const data = await loadQuotaData(ex, year);
    return { year, asOf, obligations: computeObligations(data, year, this.settings), people: data.people, units: data.units };
  }

  /** This year's quotas as of today (the zone's date). */
  async current(now: Date): Promise<QuotaReport> {
    const today = zoneDate(now);
    return this.compute(Number(today.slice(0, 4)), today);
  }

  /** The line a talk's receipt ends with: how the talker's quota stands now that it is saved. */
  async receipt(talkerId: number, now: Date): Promise<OutboundMessage[]> {
    const line = headline(progressByTalker(await this.current(now)).get(talkerId));
    return line ? [{ kind: 'text', text: `谈话进度（${BASIS_ANNUAL}）：${line}` }] : [];
  }
}

export function computeObligations(data: QuotaData, year: number, settings: TalkSettings): Obligation[] {
  const holders = new Map<string, number[]>();
  for (const r of data.roles) if (data.people.has(r.personId)) push(holders, `${r.role}@${r.unitId}`, r.personId);
  const held = (role: Role, unitId: number) => holders.get(`${role}@${unitId}`) ?? [];
  const children = new Map<number, QuotaUnit[]>();
  for (const u of data.units.values()) if (u.parentId !== null) push(children, u.parentId, u);
  const staff = new Map<number, number[]>();
  for (const p of data.people.values()) push(staff, p.unitId, p.id);
  const rules = new Map(data.rules.map((r) => [r.unitId, r]));

  /** A unit's 内设机构, and theirs in turn: its 下属部门. */
  const departments = (unitId: number): number[] =>
    (children.get(unitId) ?? []).filter((c) => c.kind === '内设机构').flatMap((c) => [c.id, ...departments(c.id)]);
  const chain = (unitId: number): QuotaUnit[] => {
    const units: QuotaUnit[] = [];
    for (let u = data.units.get(unitId); u && units.length <= data.units.size; u = u.parentId === null ? undefined : data.units.get(u.parentId)) units.push(u);
    return units;
  };
  const ruleFor = (unitId: number): { period: TalkPeriod; times: number } =>
    chain(unitId).map((u) => rules.get(u.id)).find((r): r is QuotaRule => r !== undefined) ?? DEFAULT_RULE;

  const annual = new Map<string, { talkerId: number; talkeeId: number; reasons: Reason[]; unitId: number; rule: { period: TalkPeriod; times: number } }>();
  const owe = (talkerId: number, talkeeIds: Iterable<number>, reason: Reason, unitId: number) => {
    const rule = ruleFor(unitId);
    for (const talkeeId of talkeeIds) {
      if (talkeeId === talkerId) continue;
      const existing = annual.get(pairKey(talkerId, talkeeId));
      if (!existing) annual.set(pairKey(talkerId, talkeeId), { talkerId, talkeeId, reasons: [reason], unitId, rule });
      else {
        if (!existing.reasons.includes(reason)) existing.reasons.push(reason);
        if (perYear(rule) > perYear(existing.rule)) Object.assign(existing, { unitId, rule });
      }
    }
  };

  // 镇街园、机关部门主要领导 → 班子成员 and 下属部门（内设机构）主要负责人.
  for (const unit of data.units.values()) {
    if (unit.kind !== '镇街园' && unit.kind !== '机关部门') continue;
    const talkees = new Set([...held('leadershipMember', unit.id), ...departments(unit.id).flatMap((d) => held('departmentHead', d))]);
    for (const leader of held('unitLeader', unit.id)) owe(leader, talkees, 'unitLeader', unit.id);
  }
  // 分管领导 → 分管部门（内设机构）负责人 and 工作人员.
  for (const r of data.roles) {
    if (r.role !== 'supervisingLeader' || !data.people.has(r.personId)) continue;
    const units = [r.unitId, ...departments(r.unitId)];
    const talkees = new Set(units.flatMap((u) => [...held('unitLeader', u), ...held('departmentHead', u), ...(staff.get(u) ?? [])]));
    owe(r.personId, talkees, 'supervisor', r.unitId);
  }

  const obligations: Obligation[] = [];
  const withSlots = (o: Omit<Obligation, 'slots'>, windows: { from: string; to: string }[], times: number) => {
    const present = together(data.people.get(o.talkerId)!, data.people.get(o.talkeeId)!);
    const dates = data.talks.get(pairKey(o.talkerId, o.talkeeId));
    const slots = windows
      .map((w) => ({ ...w, required: requiredTalks(times, w, present, settings.partialYear), held: countBetween(dates, w.from, w.to) }))
      .filter((s) => s.required > 0);
    if (slots.length > 0) obligations.push({ ...o, slots });
  };
  const windows = new Map<TalkPeriod, { from: string; to: string }[]>();
  for (const a of annual.values()) {
    if (!windows.has(a.rule.period)) windows.set(a.rule.period, calendarWindows(year, a.rule.period));
    withSlots({ talkerId: a.talkerId, talkeeId: a.talkeeId, reasons: a.reasons, unitId: a.unitId, period: a.rule.period }, windows.get(a.rule.period)!, a.rule.times);
  }

  // 被调整干部: their unit's 党组织书记, the nearest up the chain who is not the cadre.
  for (const adj of data.adjustments) {
    const cadre = data.people.get(adj.personId);
    if (!cadre) continue;
    const secretary = chain(cadre.unitId).flatMap((u) => held('partySecretary', u.id)).find((id) => id !== cadre.id);
    if (secretary === undefined) continue;
    const periods = anchoredWindows(adj.adjustedOn, adj.endsOn, adj.talkPeriod).filter((w) => w.from <= `${year}-12-31` && w.to >= `${year}-01-01`);
    withSlots({ talkerId: secretary, talkeeId: cadre.id, reasons: ['adjusted'], unitId: cadre.unitId, period: adj.talkPeriod }, periods, 1);
  }
  return obligations;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The days both were on the roster: a talk is owed only while both are there. */
function together(a: QuotaPerson, b: QuotaPerson): { from: string; to: string } {
  const from = (a.joinedOn ?? '') > (b.joinedOn ?? '') ? a.joinedOn! : (b.joinedOn ?? '0000-01-01');
  const to = (a.leftOn ?? '9999-12-31') < (b.leftOn ?? '9999-12-31') ? a.leftOn! : (b.leftOn ?? '9999-12-31');
  return { from, to };
}
