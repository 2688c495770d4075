import { dialogue, step } from '../src/conversation/dialogue';
import { attachments } from '../src/conversation/fields/attachments';
import { text } from '../src/conversation/fields/basic';
import type { Services } from '../src/services';

/** 补充材料: the applicant answers an approver's 退回补充 and the case goes back to that stage. Prefilled: caseId, caseNumber. */
export const caseSupplement = dialogue<Services, { caseId: number; caseNumber: string }>()({
  name: 'caseSupplement',
  version: 1,
  title: '补充材料',
  triggers: [],
  intro: (v) => `请针对审批人的问题补充 ${v.caseNumber} 的说明和材料，确认后将重新提交。`,

  steps: [
    step('answer', '补充说明', text('请写明补充说明。', { min: 5, max: 3000 })),
    step('attachments', '补充材料', attachments('如有补充材料请直接发送，发完或没有请回复“完成”。')),
  ],

  async submit(values, { person, channel, services }) {
    const message = await services.workflow.resubmit(
      values.caseId,
      person,
      { text: values.answer, attachments: values.attachments },
      channel,
    );
    return { recordRef: values.caseNumber, receipt: [{ kind: 'text', text: message }] };
  },
});
