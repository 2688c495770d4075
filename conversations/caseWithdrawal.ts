import { dialogue, step } from '../src/conversation/dialogue';
import { text } from '../src/conversation/fields/basic';
import type { Services } from '../src/services';

/**
 * 撤回申请: the applicant takes back a case nobody has decided on yet. One tap is not enough: the
 * reason is asked, shown in the summary to confirm, kept with the case and told to the approvers
 * whose task goes away. Prefilled: caseId, caseNumber, caseTitle.
 */
export const caseWithdrawal = dialogue<Services, { caseId: number; caseNumber: string; caseTitle: string }>()({
  name: 'caseWithdrawal',
  version: 1,
  title: '撤回申请',
  triggers: [],
  intro: (v) => `您要撤回 ${v.caseNumber}（${v.caseTitle}）。撤回后审批终止，如需办理须重新申请。确认后才会生效。`,

  steps: [step('reason', '撤回理由', text('请写明撤回的理由，将记入办理记录并告知审批人。', { min: 4, max: 500, example: '情况已核实清楚，不再申请容错免责。' }))],

  async submit(values, { person, channel, services }) {
    const message = await services.workflow.withdraw(values.caseId, person, values.reason, channel);
    return { recordRef: values.caseNumber, receipt: [{ kind: 'text', text: message }] };
  },
});
