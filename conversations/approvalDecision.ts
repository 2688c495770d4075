import { dialogue, step } from '../src/conversation/dialogue';
import { text, yesNo } from '../src/conversation/fields/basic';
import { choicesFrom } from '../src/conversation/fields/choicesFrom';
import { outcomeLabels } from '../src/conversation/fields/verdict';
import { item } from '../src/domain/numbering';
import { decideStage } from '../src/conversation/shared';
import type { Services } from '../src/services';

/**
 * 审核认定意见: the 党（工）委主要负责人 (or the 开发区 head) on the 纪（工）委's finding. 同意, keeping
 * the outcomes it proposed or amending them (the form and the 批复 show the final ones); or
 * 不同意 with a reason, which sends the case back to the 纪（工）委 for 重新核实.
 * Prefilled: stageId, decision (approve | reject), caseNumber, stageTitle, finding (its words),
 * outcomeLabels (the chain's outcomes, when the finding grants and there are any), outcomesCite.
 */
interface Prefill {
  stageId: number;
  decision: 'approve' | 'reject';
  caseNumber: string;
  stageTitle: string;
  finding: string;
  outcomeLabels?: string[];
}

export const approvalDecision = dialogue<Services, Prefill>()({
  name: 'approvalDecision',
  version: 1,
  title: '审核认定意见',
  triggers: [],
  intro: (v) =>
    `您对 ${v.caseNumber}（${v.stageTitle}）选择了` +
    (v.decision === 'approve' ? '“同意”，确认后作出批复。' : '“不同意”，写明理由后将退回纪（工）委重新核实。') +
    (v.finding ? `\n纪（工）委认定意见：${v.finding}。` : ''),

  steps: [
    step('amend', '是否调整处理方式', yesNo('是否调整纪（工）委建议的处理方式？'), {
      when: (v) => v.decision === 'approve' && outcomeLabels(v).length > 0,
    }),
    step(
      'outcomes',
      '调整后的处理方式',
      choicesFrom('请选择调整后的处理方式，可多选（可单独或综合使用）。', outcomeLabels, item),
      { when: (v) => v.amend === true },
    ),
    step('opinion', '审核意见', text('请填写您的意见，将写入审批表的本环节意见栏。', { min: 2, max: 1000, example: '同意纪工委意见，予以容错免责。' }), {
      when: (v) => v.decision === 'approve',
    }),
    step('reason', '不同意的理由', text('请写明不同意的理由，纪（工）委将据此重新核实。', { min: 5, max: 1000 }), {
      when: (v) => v.decision === 'reject',
    }),
  ],

  async submit(values, ctx) {
    const agree = values.decision === 'approve';
    const amended = values.amend === true ? values.outcomes?.indexes : undefined;
    return decideStage(values, ctx, { kind: 'approval', stance: agree ? 'agree' : 'disagree', opinion: (agree ? values.opinion : values.reason) ?? '', ...(amended ? { outcomes: amended } : {}) });
  },
});
