import { dialogue, step } from '../src/conversation/dialogue';
import { attachments } from '../src/conversation/fields/attachments';
import { date, text } from '../src/conversation/fields/basic';
import { verdictOfValues, verdictSteps, type VerdictPrefill } from '../src/conversation/fields/verdict';
import { decideStage } from '../src/conversation/shared';
import type { Services } from '../src/services';

/** What the card or command that starts it fills in. */
interface Prefill extends VerdictPrefill {
  stageId: number;
  caseNumber: string;
  submitted: string;
}

/**
 * 登记市纪委监委答复: the 纪（工）委 records what the 市纪委监委 decided on a matter submitted to
 * it; this concludes the case, and the applicant and the unit's party organisation are told.
 * Prefilled: stageId, caseNumber, stageTitle, submitted (what was sent, when), verdicts, outcomeLabels.
 */
export const answerRecord = dialogue<Services, Prefill>()({
  name: 'answerRecord',
  version: 1,
  title: '市纪委监委答复登记',
  triggers: [],
  intro: (v) => `登记市纪委监委对 ${v.caseNumber} 的答复（${v.submitted}）。登记后即按答复办结，并通知申请人和所在单位党组织。`,

  steps: [
    step('answeredOn', '答复日期', date('市纪委监委哪天答复的？', { notFuture: true, quick: true })),
    step('documentNumber', '答复文号', text('答复文号是？', { min: 2, max: 60, example: '澄纪复〔2026〕8号' })),
    ...verdictSteps({ verdict: '答复的结论是？', outcomes: '答复作哪些处理？可多选。' }),
    step('opinion', '答复要点', text('请简要写明答复的要点。', { min: 4, max: 2000 })),
    step('attachments', '答复文件', attachments('请发送答复文件的扫描件，没有可回复“完成”。')),
  ],

  async submit(values, ctx) {
    return decideStage(values, ctx, {
      kind: 'answer',
      answeredOn: values.answeredOn,
      documentNumber: values.documentNumber,
      ...verdictOfValues(values),
      opinion: values.opinion,
      attachments: values.attachments ?? [],
    });
  },
});
