import { dialogue, step } from '../src/conversation/dialogue';
import { text } from '../src/conversation/fields/basic';
import { verdictOfValues, verdictSteps, type VerdictPrefill } from '../src/conversation/fields/verdict';
import { decideStage } from '../src/conversation/shared';
import type { Services } from '../src/services';

/** What the card or command that starts it fills in. */
interface Prefill extends VerdictPrefill {
  stageId: number;
  caseNumber: string;
  context?: string;
}

/**
 * 认定意见: after the 集体会审 of a 改革创新风险备案, the 纪（工）委 gives its 认定意见 (同意备案 or
 * 不予备案), which goes to the 党（工）委主要负责人 (《容错细则》第六条（二）3).
 * Prefilled: stageId, caseNumber, context, verdicts, outcomeLabels.
 */
export const filingFinding = dialogue<Services, Prefill>()({
  name: 'filingFinding',
  version: 1,
  title: '备案认定意见',
  triggers: [],
  intro: (v) => `提出 ${v.caseNumber} 的认定意见。${v.context ?? ''}`,

  steps: [
    ...verdictSteps({ verdict: '结合集体会审意见，认定结论是？', outcomes: '' }),
    step('opinion', '纪（工）委意见', text('请填写纪（工）委认定意见，将写入备案表。', { min: 4, max: 1000, example: '认定为上级尚无明确限制的探索性试验，同意备案。' })),
  ],

  async submit(values, ctx) {
    return decideStage(values, ctx, { kind: 'finding', ...verdictOfValues(values), opinion: values.opinion, criteria: [] });
  },
});
