import { dialogue, step } from '../src/conversation/dialogue';
import { date, text } from '../src/conversation/fields/basic';
import type { Services } from '../src/services';

/** What the card or command that starts it fills in. */
interface Prefill {
  taskId: number;
  caseNumber: string;
}

/**
 * 严肃处理结果: after a revocation, the 纪（工）委 records what the reopened accountability decided
 * (《容错细则》第十条：重新启动问责程序，依纪依法严肃处理). Prefilled: taskId, taskTitle, caseNumber.
 */
export const revocationHandling = dialogue<Services, Prefill>()({
  name: 'revocationHandling',
  version: 1,
  title: '严肃处理结果登记',
  triggers: [],
  intro: (v) => `登记 ${v.caseNumber} 重新启动问责后的处理结果（《容错细则》第十条）。`,

  steps: [
    step('result', '处理结果', text('处理结果是什么？', { min: 4, max: 2000, example: '给予党内警告处分' })),
    step('decidedOn', '处理日期', date('哪天作出的处理决定？', { notFuture: true, quick: true })),
    step('documentNumber', '处理文号', text('处理决定的文号？（可选）', { max: 60, optional: true })),
  ],

  async submit(values, { person, channel, services }) {
    const message = await services.tolerance.recordHandling(
      values.taskId,
      person,
      { result: values.result, decidedOn: values.decidedOn, documentNumber: values.documentNumber ?? null },
      channel,
    );
    return { recordRef: `task-${values.taskId}`, receipt: [{ kind: 'text', text: message }] };
  },
});
