import { step, type Values } from '../dialogue';
import { item } from '../../domain/numbering';
import type { Verdict } from '../../domain/workflow/record';
import { text } from './basic';
import { choiceFrom, choicesFrom, type Picked } from './choicesFrom';

/**
 * The steps that conclude a finding, a 集体研究 or an outside answer: the verdict (予以 / 部分 /
 * 不予, the chain's own), the outcomes a verdict that grants comes with, and for a partial one
 * which part. The chain's verdicts and outcomes are prefilled by the card: values.verdicts and
 * values.outcomeLabels.
 */

const verdicts = (v: Values): Verdict[] => (v.verdicts as Verdict[] | undefined) ?? [];
/** The chain's outcomes the card prefilled (none when the stage offers none). */
export const outcomeLabels = (v: Values): string[] => (v.outcomeLabels as string[] | undefined) ?? [];
const picked = (v: Values): Verdict | undefined => verdicts(v).find((x) => x.label === v.conclusion);

export function verdictSteps(q: { verdict: string; outcomes: string; basis?: string }) {
  return [
    step('conclusion', '结论', choiceFrom(q.verdict, (v) => verdicts(v).map((x) => x.label))),
    step('outcomes', '处理方式', choicesFrom(q.outcomes, outcomeLabels, item), {
      when: (v) => verdictGrants(v) && outcomeLabels(v).length > 0,
      basis: q.basis,
    }),
    step('part', '部分的范围', text('请说明哪些部分予以、哪些部分不予。', { min: 4, max: 1000 }), { when: (v) => picked(v)?.partPrompt !== undefined }),
  ] as const;
}

/** What a card starting a dialogue with these steps prefills: the chain's verdicts and outcomes. */
export interface VerdictPrefill {
  verdicts: Verdict[];
  outcomeLabels?: string[];
}

/** What those steps answer, with the chain's verdicts beside them. */
export interface VerdictAnswers extends VerdictPrefill {
  conclusion: string;
  outcomes?: Picked | null;
  part?: string | null;
}

/** Whether the verdict answered grants (and so asks what comes with it). */
export const verdictGrants = (v: Values): boolean => picked(v)?.grants ?? false;

/** What those steps concluded, as a stage entry carries it. */
export function verdictOfValues(values: VerdictAnswers): { verdict: string; outcomes: number[]; note?: string } {
  const verdict = values.verdicts.find((x) => x.label === values.conclusion);
  if (!verdict) throw new Error(`verdict ${values.conclusion} is not among the chain's verdicts`);
  return { verdict: verdict.key, outcomes: values.outcomes?.indexes ?? [], ...(values.part ? { note: values.part } : {}) };
}
