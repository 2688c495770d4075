import { dialogue, step } from '../src/conversation/dialogue';
import { text } from '../src/conversation/fields/basic';
import type { Services } from '../src/services';

/** What the card or command that starts it fills in. */
interface Prefill {
  triggerId: number;
  title: string;
}

/**
 * 不予立案: 组织人事部门 closes a 第八条 trigger without a case, saying why — the article adjusts
 * only those “经组织认定不适宜担任现职的”. Prefilled: triggerId, title.
 */
export const adjustmentDismissal = dialogue<Services, Prefill>()({
  name: 'adjustmentDismissal',
  version: 1,
  title: '预警不予立案',
  triggers: [],
  intro: (v) => `不予立案：${v.title}。《能上能下办法》第八条：“经组织认定不适宜担任现职的”方予调整。`,

  steps: [step('reason', '理由', text('请写明不予立案的理由（如经核实不属于不适宜担任现职的情形）。', { min: 5, max: 1000 }))],

  async submit(values, { person, channel, services }) {
    const message = await services.adjustment.dismissTrigger(values.triggerId, person, values.reason, channel);
    return { recordRef: `trigger-${values.triggerId}`, receipt: [{ kind: 'text', text: message }] };
  },
});
