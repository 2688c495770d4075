import { dialogue, step } from '../src/conversation/dialogue';
import { date, text } from '../src/conversation/fields/basic';
import { people } from '../src/conversation/fields/people';
import type { Services } from '../src/services';

/** What the stage's card fills in. */
interface Prefill {
  stageId: number;
  caseNumber: string;
  cadreName: string;
}

/**
 * 谈话 (能上能下办法 第十二条), the last stage: who told the cadre of the decision, when, and what
 * was said. The regular talks afterwards (第十四条) are the party secretary's and are logged with
 * 记录谈话.
 */
export const adjustmentTalk = dialogue<Services, Prefill>()({
  name: 'adjustmentTalk',
  version: 2,
  title: '调整谈话',
  triggers: [],
  intro: (v) => `${v.caseNumber} ${v.cadreName}：谈话（《能上能下办法》第十二条）。`,

  steps: [
    step('talkedOn', '谈话日期', date('哪天谈的话？', { quick: true, notFuture: true })),
    step('talker', '谈话人', people('谈话人是谁？', { single: true, allowSelf: true })),
    step('summary', '谈话情况', text('请简述谈话情况（宣布决定、本人态度、思想状况）。', { min: 10, max: 2000 })),
  ],

  async submit(values, { person, channel, services }) {
    const [talker] = values.talker;
    const { text: said } = await services.adjustment.talk(values.stageId, person, { talkedOn: values.talkedOn, talker, summary: values.summary }, channel);
    return { recordRef: `${values.caseNumber}-talk`, receipt: [{ kind: 'text', text: said }] };
  },
});
