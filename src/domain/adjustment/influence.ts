import { morningOf } from '../../scheduling/recurrence';
import { addDays } from '../../scheduling/workdays';
import { monthsEnd } from '../talks/adjustments';
import { INFLUENCE, type Way } from './policy';

export interface Influence {
  until: string;
  effect: string;
}

/**
 * 能上能下办法 第十三条: the period that follows an adjustment 因不适宜担任现职, from the day it takes
 * effect, by the way of adjustment. Any other adjustment, or a way the article does not name, has
 * none.
 */
export function influenceOf(way: Way, unsuitable: boolean, effectiveOn: string): Influence | null {
  const rule = INFLUENCE[way];
  if (!unsuitable || !rule) return null;
  return { until: monthsEnd(effectiveOn, 12 * rule.years), effect: rule.effect };
}

/** The scheduled 第十五条 notice: the morning after the period's last day. */
export const INFLUENCE_ENDED = 'influence-ended';
export const influenceEndedJob = (caseId: number, until: string) => ({
  kind: INFLUENCE_ENDED,
  uniqueKey: `${INFLUENCE_ENDED}:case:${caseId}`,
  runAt: morningOf(addDays(until, 1)),
  payload: { caseId, until },
});
