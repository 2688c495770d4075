import { dialogue, step } from '../src/conversation/dialogue';
import { attachments } from '../src/conversation/fields/attachments';
import { date, text } from '../src/conversation/fields/basic';
import { decideStage } from '../src/conversation/shared';
import type { Services } from '../src/services';

/** What the card or command that starts it fills in. */
interface Prefill {
  stageId: number;
  caseNumber: string;
  stageTitle: string;
}

/**
 * 呈报: the 纪（工）委 records the submission of a city-level matter to the 市纪委监委 — the date,
 * the 文号 and the papers sent. The 呈报件 itself is produced by the bot (导出呈报 编号).
 * Prefilled: stageId, caseNumber, stageTitle.
 */
export const submissionRecord = dialogue<Services, Prefill>()({
  name: 'submissionRecord',
  version: 1,
  title: '呈报登记',
  triggers: [],
  intro: (v) =>
    `登记 ${v.caseNumber} ${v.stageTitle}。呈报件可发送“导出呈报 ${v.caseNumber}”获取（Word，加“PDF”为 PDF），` +
    '连同审批表（“导出 编号”）一并呈报。',

  steps: [
    step('submittedOn', '呈报日期', date('哪天呈报的？', { notFuture: true, quick: true })),
    step('documentNumber', '呈报文号', text('呈报文号是？', { min: 2, max: 60, example: '临港纪〔2026〕15号' })),
    step('note', '呈报说明', text('如有需要说明的情况请填写（可选）。', { max: 1000, optional: true })),
    step('attachments', '呈报材料', attachments('如有盖章的呈报件扫描件等材料请发送，没有可回复“完成”。')),
  ],

  async submit(values, ctx) {
    return decideStage(values, ctx, {
      kind: 'submission',
      submittedOn: values.submittedOn,
      documentNumber: values.documentNumber,
      opinion: values.note ?? '',
      attachments: values.attachments ?? [],
    });
  },
});
