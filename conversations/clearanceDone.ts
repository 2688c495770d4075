import { dialogue, step } from '../src/conversation/dialogue';
import { date, text } from '../src/conversation/fields/basic';
import type { Services } from '../src/services';

/** 澄清正名完成: the 纪（工）委 records the clarification carried out (《容错细则》第九条). Prefilled: taskId, taskTitle, caseNumber. */
export const clearanceDone = dialogue<Services, { taskId: number; caseNumber: string }>()({
  name: 'clearanceDone',
  version: 1,
  title: '澄清正名完成登记',
  triggers: [],
  intro: (v) => `登记 ${v.caseNumber} 澄清正名的完成情况。`,

  steps: [
    step('clearedOn', '澄清日期', date('哪天澄清的？', { notFuture: true, quick: true })),
    step('scope', '澄清范围', text('实际在什么范围内澄清？', { min: 2, max: 500 })),
    step('manner', '澄清方式', text('实际以什么方式澄清？', { min: 2, max: 500 })),
    step('note', '情况说明', text('请简要说明澄清情况和效果。', { min: 4, max: 2000 })),
  ],

  async submit(values, { person, channel, services }) {
    const message = await services.clearance.complete(
      values.taskId,
      person,
      { clearedOn: values.clearedOn, scope: values.scope, manner: values.manner, note: values.note },
      channel,
    );
    return { recordRef: `task-${values.taskId}`, receipt: [{ kind: 'text', text: message }] };
  },
});
