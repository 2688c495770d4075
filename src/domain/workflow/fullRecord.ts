import type { CardField } from '../../channels/port';
import { outcomeLine } from './describe';
import type { HistoryItem } from './history';
import type { StoredAttachment } from './record';
import type { CaseRecord, StageDefinition, WorkflowDefinition } from './types';

/**
 * The whole record an approver decides on, as one chat message sent before the compact card:
 * the form, every earlier opinion with who and when, the 六看 findings and the outcomes proposed
 * or amended, what was supplied after each 退回补充, and the attachments. Lines are short
 * paragraphs so the outbox can split it at line breaks under the messenger's text limit.
 */
export interface RecordRequest {
  definition: WorkflowDefinition;
  case: CaseRecord;
  applicantName: string;
  history: HistoryItem[];
  /** The stage the reader decides, and why it is asked again (重新核实), if it is. */
  stage?: { definition: StageDefinition; ask: string; note?: string };
  /** Lines about records the case cites (a 风险备案), written by whoever knows them. */
  citations?: string[];
  detailUrl?: string;
}

const day = (iso: string) => iso.slice(0, 10);
const fileNames = (files: unknown): string[] =>
  Array.isArray(files) ? (files as StoredAttachment[]).map((f) => f.fileName ?? (f.mediaKind === 'image' ? '图片' : '文件')) : [];

function fieldLines(fields: CardField[]): string[] {
  return fields.map((f) => (f.value.includes('\n') ? `${f.label}：\n${f.value}` : `${f.label}：${f.value}`));
}

/** One earlier stage: who, when, what, and what it rests on (the 六看, the outcomes, the files). */
function historyLines(def: WorkflowDefinition, h: HistoryItem, n: number): string[] {
  const lines = [`${n}. ${h.definition.title}｜${h.signer}｜${day(h.at)}`, `   ${h.text}`];
  const e = h.entry;
  if (e.kind === 'finding' && e.criteria.length > 0) {
    lines.push(`   ${def.criteria?.heading ?? '调查核实情况'}：`, ...e.criteria.map((c) => `   · ${c.title}：${c.finding}`));
  }
  const outcomes = e.kind === 'approval' ? e.outcomes : 'outcomes' in e ? e.outcomes : undefined;
  if (def.outcomes && outcomes && outcomes.length > 0) {
    lines.push(`   ${e.kind === 'approval' ? '调整后的处理方式' : '拟作处理'}：`, ...outcomes.map((i) => `   · ${outcomeLine(def, i)}`));
  }
  if ('details' in e && e.details) lines.push(...e.details.map((d) => `   ${d.label}：${d.value}`));
  if (e.kind === 'jointReview') lines.push(...e.reviews.map((r) => `   · 会审意见：${r.stance}。${r.opinion}`));
  const files = fileNames(e.kind === 'meeting' ? e.minutes : 'attachments' in e ? e.attachments : undefined);
  if (files.length > 0) lines.push(`   附件：${files.join('、')}`);
  return lines;
}

export function fullRecordText(r: RecordRequest): string {
  const { definition: def, case: c } = r;
  const supplements = (c.form.supplements as { at: string; question: string | null; text: string; attachments: unknown[] }[] | undefined) ?? [];
  const attachments = fileNames(c.form.attachments);
  const lines = [
    `【完整材料】${c.number} ${def.title}`,
    ...(r.stage ? [`待您办理：${r.stage.definition.title}。${r.stage.note ? `${r.stage.note}。` : ''}${r.stage.ask}。依据：${r.stage.definition.basis}。`] : []),
    '',
    '一、申请内容',
    ...fieldLines(def.summarize(c, r.applicantName)),
    ...(r.citations ?? []),
    `证明材料：${attachments.length > 0 ? `${attachments.join('、')}（发送“附件 ${c.number}”查看名称、大小并下载）` : '未提交'}`,
  ];
  if (supplements.length > 0) {
    lines.push('', '二、补充材料');
    supplements.forEach((s, i) => {
      lines.push(`${i + 1}. ${day(s.at)} 补充`, ...(s.question ? [`   审批人的问题：${s.question}`] : []), `   补充说明：${s.text}`);
      const files = fileNames(s.attachments);
      lines.push(`   补充附件：${files.length > 0 ? files.join('、') : '无'}`);
    });
  }
  lines.push('', `${supplements.length > 0 ? '三' : '二'}、此前的意见`);
  if (r.history.length === 0) lines.push('（您是第一位审批人）');
  r.history.forEach((h, i) => lines.push(...historyLines(def, h, i + 1)));
  if (r.detailUrl) lines.push('', `查看完整材料：${r.detailUrl}`);
  return lines.join('\n');
}
