import { dialogue, step } from '../src/conversation/dialogue';
import { choice, text } from '../src/conversation/fields/basic';
import { STANCES } from '../src/domain/workflow/jointReview';
import type { Services } from '../src/services';

/** 会审意见: one participant's opinion in a 集体会审. Prefilled: reviewId, caseNumber. */
export const reviewOpinion = dialogue<Services, { reviewId: number; caseNumber: string }>()({
  name: 'reviewOpinion',
  version: 1,
  title: '会审意见',
  triggers: [],
  intro: (v) => `请对 ${v.caseNumber} 提出会审意见。`,

  steps: [
    step('stance', '意见', choice('您的意见是？', STANCES)),
    step('opinion', '具体意见', text('请写明具体意见或条件。', { min: 2, max: 1000 })),
  ],

  async submit(values, { person, channel, services }) {
    const message = await services.jointReview.record(values.reviewId, person, values.stance, values.opinion, channel);
    return { recordRef: `review-${values.reviewId}`, receipt: [{ kind: 'text', text: message }] };
  },
});
