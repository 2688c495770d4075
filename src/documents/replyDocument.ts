import type { DataSource } from 'typeorm';
import { filingWorkflow } from '../domain/filing/definition';
import { toleranceWorkflow } from '../domain/tolerance/definition';
import { verdictOf } from '../domain/workflow/chain';
import { outcomeLine } from '../domain/workflow/describe';
import type { ReplyRecord } from '../domain/workflow/record';
import type { WorkflowDefinition } from '../domain/workflow/types';
import { buildFormData, revocationNotes, situationText } from './approvalForm';
import { buildFilingFormData, periodText } from './filingForm';
import { entryLines, formSource, type ChainData, type FormEntry, type RevocationData } from './formData';
import { bare, chineseDate, lines, signature, type FormLayout, type FormLine, type FormRow } from './formLayout';

/**
 * 批复 (容错, 《容错细则》第六条（一）4: 作出批复) and 回复 (备案, 第六条（二）3: 向申请单位党组织作出
 * 回复): the answer a concluded case gives the applicant and their unit's party organisation,
 * drawn as a form like 附件1 and 附件2 so that it prints beside them. For a city-level matter the
 * answer is the 市纪委监委's: the document records it under its number, for the same recipients.
 */

export interface ReplyData {
  def: WorkflowDefinition;
  caseNumber: string;
  reply: ReplyRecord;
  /** 申请人 杨帆 / 备案单位 经济发展局综合科. */
  party: { label: string; value: string };
  /** What was asked: the request's or the filing's particulars. */
  subject: FormLine[];
  /** The rows that led to the answer, in order: the finding and the approvals (or 集体研究, 签署, 呈报). */
  steps: { label: string[]; entry: FormEntry }[];
  /** Who decided: the approver the 批复 speaks for. */
  approver: FormEntry | null;
  recipients: string[];
  revocation: RevocationData | null;
}

const LABELS: Record<string, string[]> = {
  discipline: ['纪（工）委', '认定意见'],
  committee: ['基层党委', '意\u3000见'],
  zone: ['开发区', '党工委意见'],
  submission: ['呈\u3000报'],
};

/** Reads the reply of the case with this id; undefined when the case has none (yet). */
export async function loadReplyData(db: DataSource, caseId: number): Promise<ReplyData | undefined> {
  const source = await formSource(db);
  const c = await source.cases.get(caseId);
  const reply = c && (await source.cases.reply(c.id));
  if (!c || !reply) return undefined;
  const stages = await source.cases.stages(c.id);
  const org = c.kind === 'filing' ? '申请单位党组织主要负责人' : '所在单位党组织主要负责人';
  const recipients = await Promise.all(reply.recipientIds.map(async (id, i) => `${await source.nameOf(id)}（${i === 0 ? (c.kind === 'filing' ? '经办人' : '申请人') : org}）`));
  /** What both kinds take from the chain: the rows that led to the answer, and who agreed last. */
  const chain = (d: ChainData) => ({
    caseNumber: c.number,
    reply,
    recipients,
    steps: (['discipline', 'committee', 'zone', 'submission'] as const).flatMap((key) => (d[key] ? [{ label: LABELS[key], entry: d[key]! }] : [])),
    approver: reply.issuer === 'zone' ? (d.zone ?? d.committee) : null,
  });
  if (c.kind === 'tolerance') {
    const d = await buildFormData(c, stages, source);
    return {
      ...chain(d),
      def: toleranceWorkflow,
      party: { label: '申请人', value: d.applicantName },
      subject: [
        { text: `${d.caseNumber} 容错免责申请；申请人：${d.applicantName}（${d.unitName} ${d.post}）` },
        { text: `问责事项：${d.matter}` },
        ...d.situations.map((i) => ({ text: `申请容错情形：《容错细则》第五条${situationText(i, d.otherSituation)}` })),
      ],
      revocation: d.revocation,
    };
  }
  if (c.kind === 'filing') {
    const d = await buildFilingFormData(c, stages, source);
    return {
      ...chain(d),
      def: filingWorkflow,
      party: { label: '备案单位', value: d.unitName },
      subject: [{ text: `${d.caseNumber} 改革创新风险备案：${d.title}` }, { text: `实施期限：${periodText(d)}` }, ...lines(d.risks).map((l, i) => (i === 0 ? { text: `存在的风险：${l.text}` } : l))],
      revocation: null,
    };
  }
  return undefined;
}

export function replyLayout(d: ReplyData): FormLayout {
  const { reply, def } = d;
  const city = reply.issuer === 'city';
  const verdict = verdictOf(def, reply.verdict);
  const kindTitle = def.kind === 'filing' ? '改革创新风险备案' : '容错免责';
  const title = city ? `临港开发区${kindTitle}事项市纪委监委答复登记` : `临港开发区${kindTitle}${reply.title}`;
  const conclusion: FormLine[] = [
    { text: `${city ? `市纪委监委答复（${reply.number}）：` : '经审核，'}${verdict.label}${reply.note ? `（${bare(reply.note)}）` : ''}。`, bold: true },
    ...(reply.outcomes.length > 0 && def.outcomes ? [{ text: `作如下处理（${def.outcomes.cite}）：` }, ...reply.outcomes.map((i) => ({ text: `${outcomeLine(def, i)}；` }))] : []),
    ...(def.kind === 'tolerance' && verdict.grants
      ? [{ text: '请纪（工）委、组织人事等相关部门按规定执行并在一定范围内公开（《容错细则》第六条（一）5）。' }]
      : def.kind === 'filing' && verdict.grants
        ? [{ text: '请抓紧实施；实施后将结果报党（工）委（《容错细则》第六条（二）4、5）。' }]
        : []),
  ];
  const rows: FormRow[] = [
    { label: [def.kind === 'filing' ? '备案事项' : '申请事项'], body: d.subject, sign: [], minHeight: 60 },
    ...d.steps.map((s) => ({ label: s.label, body: entryLines(def, s.entry), sign: [`${s.entry.signer}\u3000\u3000${chineseDate(s.entry.decidedAt)}`], minHeight: 60 })),
    { label: [city ? '答复结论' : `${reply.title}结论`], body: conclusion, sign: city ? [] : [signature(d.approver, '签名：')], minHeight: 90 },
    { label: ['送\u3000达'], body: [{ text: d.recipients.join('、') }], sign: [], minHeight: 30 },
    {
      label: ['备\u3000注'],
      body: [{ text: `依据：${city ? (def.stages.find((s) => s.kind === 'answer')?.basis ?? '') : (def.reply?.basis ?? '')}。` }, ...revocationNotes(d.revocation)],
      sign: [],
      minHeight: 40,
    },
  ];
  return {
    annex: '',
    title,
    numberLine: city ? `答复文号：${reply.number}` : `${reply.title}编号：${reply.number}`,
    head: [d.party, { label: city ? '答复日期' : `${reply.title}日期`, value: chineseDate(reply.issuedOn) }],
    rows,
    footer: `本${city ? '登记' : reply.title}送${def.kind === 'filing' ? '备案单位党组织及经办人' : '申请人及所在单位党组织'}，纪（工）委存档。`,
    documentTitle: `${title} ${d.caseNumber}`,
    subject: def.reply?.basis ?? title,
  };
}
