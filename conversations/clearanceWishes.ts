import { dialogue, step } from '../src/conversation/dialogue';
import { text, yesNo } from '../src/conversation/fields/basic';
import { decideStage } from '../src/conversation/shared';
import type { Services } from '../src/services';

/** What the card or command that starts it fills in. */
interface Prefill {
  stageId: number;
  caseNumber: string;
}

/**
 * 本人意愿: the cadre says whether, where and how they wish to be cleared; the 纪（工）委 weighs it
 * with 工作需要 (《容错细则》第九条：综合考虑工作需要和被举报人本人意愿). Prefilled: stageId, caseNumber.
 */
export const clearanceWishes = dialogue<Services, Prefill>()({
  name: 'clearanceWishes',
  version: 1,
  title: '澄清正名本人意愿',
  triggers: [],
  intro: (v) =>
    `${v.caseNumber}：经查，对您的举报失实。依据《容错细则》第九条，组织将综合考虑工作需要和您本人的意愿，在一定范围内，以适当方式为您澄清正名。请告诉我们您的想法。`,

  steps: [
    step('wants', '是否希望澄清', yesNo('您是否希望组织为您澄清正名？')),
    step('scope', '希望的范围', text('希望在什么范围内澄清？', { min: 2, max: 500, example: '本单位，以及举报信散布到的街道各村' }), { when: (v) => v.wants === true }),
    step('manner', '希望的方式', text('希望以什么方式澄清？', { min: 2, max: 500, example: '在单位干部大会上说明查核结论' }), { when: (v) => v.wants === true }),
    step('remarks', '其他想法', text('还有什么想法或顾虑？（可选）', { max: 1000, optional: true })),
  ],

  async submit(values, ctx) {
    const wants = values.wants === true;
    const details = [
      ...(wants ? [{ key: 'scope', label: '希望的范围', value: values.scope ?? '' }, { key: 'manner', label: '希望的方式', value: values.manner ?? '' }] : []),
      ...(values.remarks ? [{ key: 'remarks', label: '其他想法', value: values.remarks }] : []),
    ];
    const opinion = wants ? `范围：${values.scope}；方式：${values.manner}。` : '本人不希望组织为其澄清正名。';
    return decideStage(values, ctx, { kind: 'opinion', stance: wants ? 'agree' : 'disagree', opinion: `${opinion}${values.remarks ? `其他：${values.remarks}` : ''}`, details });
  },
});
