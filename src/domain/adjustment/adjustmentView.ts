import { stageByKey } from '../workflow/chain';
import type { CaseRepository } from '../workflow/caseRepository';
import type { CaseRecord } from '../workflow/types';
import { adjustmentForm, adjustmentWorkflow, AUTHORITY_WORDS, carveOutOf } from './definition';
import { CARVE_OUTS, causeLabel, causeText, INFLUENCE } from './policy';

/**
 * An adjustment case as 查看调整, 干部情况 and the 干部队伍综合分析 tell it: where it stands, what was
 * decided and the influence period, each with its article. Read from the case record alone.
 */

/** An adjustment case with the title of the stage it waits on, if any. */
export interface AdjustmentCase {
  c: CaseRecord;
  waitingOn: string | null;
}

/** The adjustment cases of a cadre, or all of them, each with the stage it waits on. */
export async function adjustmentCases(cases: CaseRepository, personId?: number): Promise<AdjustmentCase[]> {
  const found = personId === undefined ? await cases.list({ kind: 'adjustment' }) : (await cases.byApplicant(personId)).filter((c) => c.kind === 'adjustment');
  return Promise.all(
    found.map(async (c) => {
      const open = (await cases.stages(c.id)).find((s) => s.status === 'pending' || s.status === 'blocked');
      return { c, waitingOn: open ? stageByKey(adjustmentWorkflow, open.stageKey).title : null };
    }),
  );
}

/** 办理中：考察核实, 已调整, 未作调整, 因健康原因调整，按照有关规定办理（《能上能下办法》第五条）. */
export function adjustmentState({ c, waitingOn }: AdjustmentCase): string {
  if (c.status === 'granted') return '已调整';
  if (c.status === 'rejected') {
    const carveOut = carveOutOf(c);
    return carveOut ? `${CARVE_OUTS[carveOut]}，按照有关规定办理（《能上能下办法》第五条）` : '未作调整';
  }
  return `办理中${waitingOn ? `：${waitingOn}` : ''}`;
}

/** 影响期至 2027-11-30（《能上能下办法》第十三条：一年内不得提拔）, when the decision has one. */
export function influencePeriod(c: CaseRecord): string | null {
  const d = adjustmentForm(c).decision;
  const rule = d && INFLUENCE[d.way];
  return d?.influenceUntil && rule ? `影响期至 ${d.influenceUntil}（《能上能下办法》第十三条：${rule.effect}）` : null;
}

/** The period, and whether it has ended (第十五条). */
export function influenceText(c: CaseRecord, today: string): string {
  const period = influencePeriod(c);
  const until = adjustmentForm(c).decision?.influenceUntil;
  if (!period || !until) return '不适用《能上能下办法》第十三条影响期';
  return `${period}${until < today ? '，已期满（《能上能下办法》第十五条）' : ''}`;
}

/** One line of 干部情况: the case, its cause, where it stands, what was decided. */
export function caseLine(a: AdjustmentCase, today: string): string {
  const { c } = a;
  const { article, item, proposal, decision } = adjustmentForm(c);
  const parts = [`${c.number}（《能上能下办法》${causeLabel(article, item)}）：${adjustmentState(a)}`];
  if (decision) parts.push(`${decision.effectiveOn} ${decision.way}`, influenceText(c, today));
  else if (proposal) parts.push(`建议：${AUTHORITY_WORDS[proposal.authority]}，${proposal.way}`);
  if (decision?.earlyRetirement) parts.push('《能上能下办法》第十三条：本人因个人原因（非身体原因）申请提前退休，退休后不再享受原职务层次相应待遇');
  return parts.join('，');
}

/** What 查看调整 adds to the case's timeline: the cause in the article's words, the facts, and the period. */
export function adjustmentLines(c: CaseRecord, today: string): string[] {
  const { article, item, facts, decision } = adjustmentForm(c);
  return [`事由：${causeText(article, item)}`, `事实和依据：${facts}`, ...(decision ? [`${decision.effectiveOn} ${decision.way}，${influenceText(c, today)}。`] : [])];
}
