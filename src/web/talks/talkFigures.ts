import { zoneDate } from '../../clock';
import { completionByUnit, progressByTalker } from '../../domain/talks/progress';
import type { Obligation, QuotaReport, TalkQuotas } from '../../domain/talks/quotas';
import type { Viewer } from '../access';
import type { LeaderProgress, TalkFigures } from '../api/contract';

/** Whose talks a viewer sees: 党群工作部 the zone's, a leader those of their units, anyone their own. */
export function talkScope(viewer: Viewer): TalkFigures['scope'] {
  return viewer.admin ? 'zone' : viewer.ledUnits.size > 0 ? 'units' : 'own';
}

/** Whether an obligation is the viewer's to see: their own, or one of a talker in (or owed for) a unit they lead. */
export function obligationVisible(viewer: Viewer, report: QuotaReport, o: Obligation): boolean {
  if (viewer.admin || o.talkerId === viewer.person.id) return true;
  const talker = report.people.get(o.talkerId);
  return viewer.ledUnits.has(o.unitId) || (talker !== undefined && viewer.ledUnits.has(talker.unitId));
}

/**
 * The year's 谈心谈话 completion as the console shows it, by unit and by leader, computed by the
 * same quota rules as the chat's 谈话进度汇总 and cut to what the viewer may see. A past year is
 * counted as of its last day.
 */
export async function talkFigures(quotas: TalkQuotas, viewer: Viewer, year: number, now: Date): Promise<TalkFigures> {
  const today = zoneDate(now);
  const asOf = `${year}-12-31` < today ? `${year}-12-31` : today;
  const full = await quotas.compute(year, asOf);
  const report: QuotaReport = { ...full, obligations: full.obligations.filter((o) => obligationVisible(viewer, full, o)) };
  const byUnit = completionByUnit(report);
  const byLeader: LeaderProgress[] = [...progressByTalker(report).values()]
    .map((p) => {
      const leader = report.people.get(p.talkerId);
      return { ...p, name: leader?.name ?? '', post: leader?.post ?? '', unit: (leader && report.units.get(leader.unitId)?.name) ?? '' };
    })
    .sort((a, b) => b.owed.length - a.owed.length || a.talkerId - b.talkerId);
  return {
    year,
    asOf,
    scope: talkScope(viewer),
    totals: { done: byUnit.reduce((n, u) => n + u.done, 0), owed: byUnit.reduce((n, u) => n + u.owed, 0) },
    byUnit,
    byLeader,
  };
}
