import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { UserFacingError } from '../../errors';
import type { Person } from '../../roster/types';
import { addDays, workingDaysBetween } from '../../scheduling/workdays';
import { isDuplicateKey } from '../../storage/dataSource';
import { insert, select, update, type Executor } from '../../storage/sql';
import type { AuditLog, Refusals } from '../audit';
import {
  excellentShareChanges,
  favouredUnits,
  HEALTH_RETREAT_MAX_DAYS,
  healthRetreatList,
  priorityPromotion,
  proposeWinningUnits,
  type Eligibility,
} from './incentives';
import { LedgerIndex, loadLedger } from './ledger';
import type { IncentiveSettings } from './settings';
import { ZoneView } from './zoneView';

export const LIST_KINDS = ['winning-units', 'priority', 'health-retreat'] as const;
export type ListKind = (typeof LIST_KINDS)[number];
export const LIST_TITLES: Record<ListKind, string> = { 'winning-units': '年度考核优胜单位', priority: '优先推荐名单', 'health-retreat': '健康休养名单' };
/** 2026 年度考核优胜单位, 2026 年优先推荐名单, 2027 年健康休养名单. */
export const listTitle = (kind: ListKind, year: number): string => (kind === 'winning-units' ? `${year} 年度考核优胜单位` : `${year} 年${LIST_TITLES[kind]}`);

export interface ListEntry extends Eligibility {
  name: string;
  unit: string;
  /** 健康休养: working days still to take this year. */
  remainingDays?: number;
}

export interface Confirmation {
  by: string;
  at: string;
  digest: string;
  entries: ListEntry[];
}

export interface IncentiveList {
  kind: ListKind;
  year: number;
  entries: ListEntry[];
  /** What the list is computed from and the related rules' results (第九条（二）, 第十条（三）). */
  notes: string[];
  digest: string;
  confirmed?: Confirmation;
}

const digestOf = (entries: ListEntry[]) =>
  createHash('sha256')
    .update(JSON.stringify(entries.map((e) => [e.subject, e.article, e.reason])))
    .digest('hex')
    .slice(0, 12);

/**
 * The 激励办法 lists: computed from the ledger, shown as proposals, and fixed when 党群工作部
 * confirms them (第十二条: the offices carry out the incentives; the bot decides nothing). A
 * confirmation stores the list as it stood, so later changes to the ledger show as differences.
 */
export class IncentiveLists {
  constructor(private readonly deps: { db: DataSource; clock: Clock; audit: AuditLog; refusals: Refusals; settings: IncentiveSettings }) {}

  async compute(kind: ListKind, year: number, ex: Executor = this.deps.db): Promise<IncentiveList> {
    const zone = await ZoneView.load(ex);
    const ledger = new LedgerIndex(await loadLedger(ex, year - 4, year));
    const named = (e: Eligibility, extra: Partial<ListEntry> = {}): ListEntry => ({
      ...e,
      name: e.personId !== null ? (zone.people.get(e.personId)?.name ?? '') : zone.unitName(e.unitId!),
      unit: e.unitId !== null ? zone.unitName(e.unitId) : '',
      ...extra,
    });
    let entries: ListEntry[];
    const notes: string[] = [];
    if (kind === 'winning-units') {
      const proposals = proposeWinningUnits(year, ledger, this.deps.settings);
      entries = proposals.flatMap((p) =>
        p.units.map((u) =>
          named({
            subject: `unit:${u.unitId}`, personId: null, unitId: u.unitId, article: '《激励办法》第八条（一）', years: [year],
            reason: `${year} 年度一体化绩效考核${p.category}第 ${u.rank} 名（共 ${p.ranked} 个，按 ${p.share}% 确定 ${p.quota} 个，《激励办法》第八条（一））`,
            measure: '确定为年度考核优胜单位',
          }),
        ),
      );
      notes.push(`各类别比例为本区设定（WINNING_UNIT_SHARES）：${proposals.map((p) => `${p.category} ${p.share}%`).join('、')}；条文为“分别按照 50%、30%、20%、20%左右的比例”。`);
      const winners = new Set(entries.map((e) => e.unitId!));
      for (const change of excellentShareChanges(year, ledger, winners, this.deps.settings, zone)) {
        notes.push(`${change.reason}：${change.points > 0 ? '提高' : '降低'} ${Math.abs(change.points)} 个百分点（幅度为本区设定）。`);
      }
      const earlier = new Map<number, Set<number>>();
      for (const y of [year - 2, year - 1]) earlier.set(y, await this.winnersOf(ledger, y, ex));
      const favoured = favouredUnits(year, (y) => earlier.get(y) ?? winners, zone);
      for (const f of favoured) notes.push(`${f.reason}：${f.measure}。`);
    } else if (kind === 'priority') {
      entries = priorityPromotion(year, ledger, zone).map((e) => named(e));
    } else {
      const higher = await this.higherRetreats(year, ex);
      const used = await this.retreatDays(year, ex);
      entries = healthRetreatList(year, ledger, zone, higher).map((e) => named(e, { remainingDays: HEALTH_RETREAT_MAX_DAYS - (used.get(e.personId!) ?? 0) }));
      if (higher.size > 0) notes.push(`当年参加上级健康休养的 ${higher.size} 人不列入（《激励办法》第十一条（五）“当年参加上级健康休养人员除外”）。`);
    }
    return { kind, year, entries, notes, digest: digestOf(entries), confirmed: await this.confirmation(kind, year, ex) };
  }

  /** A year's 优胜单位 for the three-year rule: as confirmed, or as proposed where not yet confirmed. */
  private async winnersOf(ledger: LedgerIndex, year: number, ex: Executor): Promise<Set<number>> {
    const confirmed = await this.confirmation('winning-units', year, ex);
    const units = confirmed ? confirmed.entries.map((e) => e.unitId!) : proposeWinningUnits(year, ledger, this.deps.settings).flatMap((p) => p.units.map((u) => u.unitId));
    return new Set(units);
  }

  async confirmation(kind: ListKind, year: number, ex: Executor = this.deps.db): Promise<Confirmation | undefined> {
    const [row] = await select<{ entries: string; digest: string; confirmed_at: string; name: string }>(
      ex,
      'SELECT l.entries, l.digest, l.confirmed_at, p.name FROM incentive_lists l JOIN people p ON p.id = l.confirmed_by WHERE l.kind = ? AND l.year = ?',
      [kind, year],
    );
    return row && { by: row.name, at: row.confirmed_at, digest: row.digest, entries: JSON.parse(row.entries) as ListEntry[] };
  }

  /**
   * 确认名单, from the card: only 党群工作部, only the list as it was shown (its digest), once. A
   * list confirmed before is replaced when the ledger has changed it since.
   */
  async confirm(kind: ListKind, year: number, digest: string, actor: Person, channel: string, isAdmin: boolean): Promise<string> {
    const subject = `incentive:${kind}:${year}`;
    const title = listTitle(kind, year);
    if (!isAdmin) {
      throw await this.deps.refusals.refuse({ actorId: actor.id, channel, action: 'incentive.confirm.refused', subject }, `${title}由党群工作部确认（《激励办法》第十二条）。`);
    }
    return this.deps.db.transaction(async (tx) => {
      const list = await this.compute(kind, year, tx);
      if (list.digest !== digest) throw new UserFacingError(`${title}已因考核数据变化而不同，请重新发送查看后再确认。`);
      if (list.confirmed?.digest === digest) return `${title}已由${list.confirmed.by}于 ${list.confirmed.at.slice(0, 10)} 确认，无需重复确认。`;
      const row = { entries: JSON.stringify(list.entries), digest, confirmed_by: actor.id, confirmed_at: this.deps.clock.now().toISOString() };
      if (list.confirmed) await update(tx, 'incentive_lists', row, 'kind = ? AND year = ?', [kind, year]);
      else {
        try {
          await insert(tx, 'incentive_lists', { kind, year, ...row });
        } catch (error) {
          if (isDuplicateKey(error)) throw new UserFacingError(`${title}刚刚已由他人确认，请重新发送查看。`);
          throw error;
        }
      }
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'incentive.confirmed', subject, detail: { digest, entries: list.entries.length } });
      return `已确认${title}（共 ${list.entries.length} ${kind === 'winning-units' ? '个单位' : '人'}）。`;
    });
  }

  /** Working days of the zone's 健康休养 taken in `year`, by person. */
  async retreatDays(year: number, ex: Executor = this.deps.db): Promise<Map<number, number>> {
    const rows = await select<{ person_id: number; days: number }>(
      ex,
      `SELECT person_id, SUM(working_days) AS days FROM health_retreats WHERE year = ? AND kind = 'zone' GROUP BY person_id`,
      [year],
    );
    return new Map(rows.map((r) => [Number(r.person_id), Number(r.days)]));
  }

  private async higherRetreats(year: number, ex: Executor): Promise<Set<number>> {
    const rows = await select<{ person_id: number }>(ex, `SELECT DISTINCT person_id FROM health_retreats WHERE year = ? AND kind = 'higher'`, [year]);
    return new Set(rows.map((r) => Number(r.person_id)));
  }

  /**
   * 党群工作部 records a 健康休养: the zone's own (working days counted on the zone's calendar, at
   * most seven a year, only for people on the confirmed list) or a higher level's (which leaves
   * the person off the zone's list). Once per draft.
   */
  async recordRetreat(input: {
    draftKey: string; person: Person; kind: 'zone' | 'higher'; from: string; to: string; actor: Person; channel: string; isAdmin: boolean;
  }): Promise<string> {
    const { person, kind, from, to, actor } = input;
    const year = Number(from.slice(0, 4));
    if (!input.isAdmin) {
      throw await this.deps.refusals.refuse({ actorId: actor.id, channel: input.channel, action: 'retreat.refused', subject: `person:${person.id}` }, '健康休养由党群工作部登记。');
    }
    if (to < from) throw new UserFacingError('结束日期早于开始日期。');
    if (to.slice(0, 4) !== from.slice(0, 4)) throw new UserFacingError('健康休养按年度安排，请勿跨年登记。');
    const days = workingDaysBetween(addDays(from, -1), to);
    return this.deps.db.transaction(async (tx) => {
      const [existing] = await select<{ id: number }>(tx, 'SELECT id FROM health_retreats WHERE draft_key = ?', [input.draftKey]);
      if (existing) return '这次健康休养已经登记过了。';
      if (kind === 'zone') {
        const confirmed = await this.confirmation('health-retreat', year, tx);
        if (!confirmed?.entries.some((e) => e.personId === person.id)) {
          throw new UserFacingError(`${person.name}不在已确认的 ${year} 年健康休养名单中（《激励办法》第十一条（五）），请先发送“健康休养名单 ${year}”查看并确认名单。`);
        }
        if (days === 0) throw new UserFacingError(`${from} 至 ${to} 没有工作日，健康休养按工作日计算。`);
        const used = (await this.retreatDays(year, tx)).get(person.id) ?? 0;
        if (used + days > HEALTH_RETREAT_MAX_DAYS) {
          throw new UserFacingError(
            `${person.name} ${year} 年已休 ${used} 个工作日，再休 ${days} 个工作日将超过 ${HEALTH_RETREAT_MAX_DAYS} 天（《激励办法》第十一条（五）：“健康休养时间不超过7天（按工作日计算，不计入年休假假期）”）。`,
          );
        }
      }
      await insert(tx, 'health_retreats', {
        draft_key: input.draftKey, person_id: person.id, year, kind, from_on: from, to_on: to, working_days: kind === 'zone' ? days : 0,
        recorded_by: actor.id, created_at: this.deps.clock.now().toISOString(),
      });
      await this.deps.audit.append(tx, { actorId: actor.id, channel: input.channel, action: 'retreat.recorded', subject: `person:${person.id}`, detail: { year, kind, from, to, days } });
      if (kind === 'higher') {
        return `已登记：${person.name} ${year} 年参加上级健康休养（${from} 至 ${to}），不再列入本区 ${year} 年健康休养名单（《激励办法》第十一条（五）：“当年参加上级健康休养人员除外”）。`;
      }
      const left = HEALTH_RETREAT_MAX_DAYS - ((await this.retreatDays(year, tx)).get(person.id) ?? 0);
      return `已登记：${person.name} ${from} 至 ${to} 健康休养 ${days} 个工作日，不计入年休假假期；${year} 年还可休 ${left} 个工作日（《激励办法》第十一条（五））。`;
    });
  }
}
