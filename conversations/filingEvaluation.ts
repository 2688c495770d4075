import { dialogue, step } from '../src/conversation/dialogue';
import { choice, text } from '../src/conversation/fields/basic';
import type { Services } from '../src/services';

const RATINGS = ['好', '较好', '一般', '差'];

/** What the card or command that starts it fills in. */
interface Prefill {
  taskId: number;
}

/** 绩效评价: the 党（工）委 rates a filing's results (《容错细则》第六条（二）5). Prefilled: taskId, taskTitle. */
export const filingEvaluation = dialogue<Services, Prefill>()({
  name: 'filingEvaluation',
  version: 1,
  title: '改革创新绩效评价',
  triggers: [],
  intro: '请对改革创新事项的实施结果进行绩效评价（《容错细则》第六条（二）5）。',

  steps: [
    step('rating', '评价等次', choice('评价等次？', RATINGS)),
    step('comment', '评价意见', text('请填写评价意见。', { min: 4, max: 1000 })),
  ],

  async submit(values, { person, channel, services }) {
    const message = await services.filing.evaluate(values.taskId, person, values.rating, values.comment, channel);
    return { recordRef: `task-${values.taskId}`, receipt: [{ kind: 'text', text: message }] };
  },
});
