import { dialogue, step } from '../src/conversation/dialogue';
import { attachments } from '../src/conversation/fields/attachments';
import { text, yesNo } from '../src/conversation/fields/basic';
import type { Services } from '../src/services';

/** What the card or command that starts it fills in. */
interface Prefill {
  taskId: number;
}

/**
 * 结果报告: after the period of a filing, the unit reports its results to the 党（工）委.
 * 依据《容错细则》第六条（二）5：针对有无解决实际问题，有无危害结果发生等进行绩效评价。
 * Prefilled: taskId, taskTitle.
 */
export const filingResultReport = dialogue<Services, Prefill>()({
  name: 'filingResultReport',
  version: 1,
  title: '改革创新结果报告',
  triggers: [],
  intro: '请报告改革创新事项的实施结果（《容错细则》第六条（二）5）。',

  steps: [
    step('solvedProblem', '是否解决实际问题', yesNo('是否解决了实际问题？')),
    step('harmOccurred', '有无危害结果', yesNo('实施中有无危害结果发生？')),
    step('narrative', '实施情况', text('请简要说明实施情况和成效。', { min: 10, max: 3000 })),
    step('attachments', '附件', attachments('如有总结材料请发送，没有可回复“完成”。')),
  ],

  async submit(values, { person, channel, services }) {
    const message = await services.filing.reportResult(
      values.taskId,
      person,
      {
        solvedProblem: values.solvedProblem,
        harmOccurred: values.harmOccurred,
        narrative: values.narrative,
        attachments: values.attachments ?? [],
      },
      channel,
    );
    return { recordRef: `task-${values.taskId}`, receipt: [{ kind: 'text', text: message }] };
  },
});
