import { dialogue, step } from '../src/conversation/dialogue';
import { text } from '../src/conversation/fields/basic';
import { verdictGrants, verdictOfValues, verdictSteps, type VerdictPrefill } from '../src/conversation/fields/verdict';
import { decideStage } from '../src/conversation/shared';
import type { Services } from '../src/services';

/** What the 纪（工）委's card fills in: the stage, the case, and the cadre's wishes as context. */
interface Prefill extends VerdictPrefill {
  stageId: number;
  caseNumber: string;
  context?: string;
}

/**
 * 澄清方案: the 纪（工）委 proposes whether to clear the cadre, within which scope and in which manner,
 * weighing 工作需要 and the cadre's wishes (《容错细则》第九条); the 党（工）委主要负责人 approves it.
 * Prefilled: stageId, caseNumber, context (the cadre's wishes), verdicts, outcomeLabels.
 */
export const clearanceProposal = dialogue<Services, Prefill>()({
  name: 'clearanceProposal',
  version: 1,
  title: '澄清正名方案',
  triggers: [],
  intro: (v) => `提出 ${v.caseNumber} 的澄清方案。${v.context ?? ''}请综合考虑工作需要和本人意愿（《容错细则》第九条）。`,

  steps: [
    ...verdictSteps({ verdict: '是否为其澄清正名？', outcomes: '' }),
    step('scope', '澄清范围', text('在什么范围内澄清？', { min: 2, max: 500, example: '经济发展局全体干部' }), { when: verdictGrants }),
    step('manner', '澄清方式', text('以什么方式澄清？', { min: 2, max: 500, example: '在局干部大会上通报查核结论' }), { when: verdictGrants }),
    step('opinion', '纪（工）委意见', text('请填写纪（工）委意见（如工作需要的考虑）。', { min: 4, max: 1000 })),
  ],

  async submit(values, ctx) {
    const details = values.scope
      ? [{ key: 'scope', label: '澄清范围', value: values.scope }, { key: 'manner', label: '澄清方式', value: values.manner ?? '' }]
      : [];
    return decideStage(values, ctx, { kind: 'finding', ...verdictOfValues(values), opinion: values.opinion, criteria: [], details });
  },
});
