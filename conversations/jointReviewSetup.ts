import { dialogue, step } from '../src/conversation/dialogue';
import { people } from '../src/conversation/fields/people';
import type { Services } from '../src/services';

/** What the card or command that starts it fills in. */
interface Prefill {
  stageId: number;
  caseNumber: string;
}

/** 组织集体会审: the 纪（工）委 picks who reviews a filing. Prefilled: stageId, caseNumber. 依据《容错细则》第六条（二）2。 */
export const jointReviewSetup = dialogue<Services, Prefill>()({
  name: 'jointReviewSetup',
  version: 1,
  title: '组织集体会审',
  triggers: [],
  intro: (v) => `组织对 ${v.caseNumber} 的集体会审（《容错细则》第六条（二）2：纪（工）委牵头相关职能部门进行集体会审）。`,

  steps: [step('participants', '会审人员', people('请输入参加会审的相关职能部门人员姓名，多人用顿号隔开。'))],

  async submit(values, { person, channel, services }) {
    const ids = values.participants.map((p) => p.id);
    const message = await services.jointReview.request(values.stageId, person, ids, channel);
    return { recordRef: `${values.caseNumber}-review`, receipt: [{ kind: 'text', text: message }] };
  },
});
