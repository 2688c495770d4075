import { dialogue, step } from '../src/conversation/dialogue';
import { text } from '../src/conversation/fields/basic';
import type { Decision } from '../src/domain/workflow/types';
import type { Services } from '../src/services';

const WORDS: Record<Decision, string> = { approve: '同意', reject: '不同意', return: '退回补充' };

/**
 * 审批意见: after an approver taps 同意, 不同意 or 退回补充 on an approval card. The decision is
 * final only with an opinion, which is written into the stage's row of the paper form.
 * Prefilled: stageId, decision, caseNumber, stageTitle.
 */
export const decisionOpinion = dialogue<Services>({
  name: 'decisionOpinion',
  version: 1,
  title: '审批意见',
  triggers: [],
  intro: (v) => `您选择了“${WORDS[v.decision as Decision]}”${v.caseNumber as string}（${v.stageTitle as string}）。填写意见并确认后才会生效。`,

  steps: [
    step('opinion', '审批意见', text('请填写您的意见，将写入审批表的本环节意见栏。', { min: 2, max: 1000, example: '情况属实，同意报纪工委调查核实。' }), {
      when: (v) => v.decision !== 'return',
    }),
    step('question', '需补充的内容', text('请写明需要申请人补充说明或提供的材料。', { min: 5, max: 1000 }), {
      when: (v) => v.decision === 'return',
    }),
  ],

  async submit(values, { person, channel, services }) {
    const message = await services.workflow.decide({
      stageId: values.stageId as number,
      actor: person,
      decision: values.decision as Decision,
      opinion: (values.opinion ?? values.question) as string,
      channel,
    });
    return { recordRef: values.caseNumber as string, receipt: [{ kind: 'text', text: message }] };
  },
});
