import type { DataSource } from 'typeorm';
import { clearanceWorkflow } from '../domain/clearance/definition';
import { statusLabel } from '../domain/workflow/describe';
import { asString, entryLines, formSource, readCase, unitPath, type FormEntry } from './formData';
import { bare, chineseDate, lines, sealedSignature, signature, type FormLayout, type FormLine } from './formLayout';

/**
 * 澄清正名登记表: one 澄清正名 of 《容错细则》第九条 on paper, for the archive (相关资料…存储归档), in
 * the style of 附件1. The policy has no form for it; the rows are the steps the bot records.
 */

export interface ClearanceRecordData {
  caseNumber: string;
  statusLabel: string;
  cadre: string;
  unitName: string;
  post: string;
  openedAt: string;
  matter: string;
  accusation: string;
  conclusion: string;
  impact: string;
  wishes: FormEntry | null;
  proposal: FormEntry | null;
  approval: FormEntry | null;
  cleared: { clearedOn: string; scope: string; manner: string; note: string } | null;
}

export async function loadClearanceRecord(db: DataSource, caseId: number): Promise<ClearanceRecordData | undefined> {
  const source = await formSource(db);
  const c = await source.cases.get(caseId);
  if (!c || c.kind !== 'clearance') return undefined;
  const { rows } = await readCase(clearanceWorkflow, c, await source.cases.stages(c.id), source);
  const cleared = c.form.cleared as Record<string, unknown> | undefined;
  return {
    caseNumber: c.number,
    statusLabel: statusLabel(clearanceWorkflow, c),
    cadre: asString(c.form.applicantName),
    unitName: unitPath(source.units, c.unitId),
    post: asString(c.form.post),
    openedAt: asString(c.form.openedAt) || c.createdAt,
    matter: asString(c.form.matter),
    accusation: asString(c.form.accusation),
    conclusion: asString(c.form.conclusion),
    impact: asString(c.form.impact),
    wishes: rows.get('wishes') ?? null,
    proposal: rows.get('proposal') ?? null,
    approval: rows.get('approval') ?? null,
    cleared: cleared ? { clearedOn: asString(cleared.clearedOn), scope: asString(cleared.scope), manner: asString(cleared.manner), note: asString(cleared.note) } : null,
  };
}

export function clearanceLayout(d: ClearanceRecordData): FormLayout {
  const body = (e: FormEntry | null) => (e ? entryLines(clearanceWorkflow, e) : []);
  const facts: FormLine[] = [
    ...(d.matter ? [{ text: `问责事项：${d.matter}（经查失实）` }] : []),
    { text: '举报内容：', bold: true },
    ...lines(d.accusation),
    { text: '查核结论：', bold: true },
    ...lines(d.conclusion),
    { text: `造成的不良影响：${bare(d.impact)}。` },
  ];
  const done: FormLine[] = d.cleared
    ? [{ text: `${chineseDate(d.cleared.clearedOn)}，在${d.cleared.scope}以${d.cleared.manner}澄清正名。` }, ...lines(d.cleared.note)]
    : [];
  return {
    annex: '',
    title: '临港开发区澄清正名登记表',
    numberLine: `编号：${d.caseNumber}`,
    head: [
      { label: '被举报人', value: d.cadre },
      { label: '启动时间', value: chineseDate(d.openedAt) },
    ],
    rows: [
      { label: ['单位职务'], body: [{ text: `${d.unitName}\u3000${d.post}` }], sign: [], minHeight: 30 },
      { label: ['举报和', '查核情况'], body: facts, sign: [], minHeight: 100 },
      { label: ['本人意愿'], body: body(d.wishes), sign: [signature(d.wishes, '本人：')], minHeight: 70 },
      { label: ['纪（工）委', '意\u3000见'], body: body(d.proposal), sign: [sealedSignature(d.proposal, '')], minHeight: 80 },
      { label: ['党（工）委', '主要负责人', '意\u3000见'], body: body(d.approval), sign: [signature(d.approval, '签名：')], minHeight: 70 },
      { label: ['完成情况'], body: done, sign: [], minHeight: 60 },
      { label: ['备\u3000注'], body: [{ text: `当前状态：${d.statusLabel}。依据《容错细则》第九条：综合考虑工作需要和被举报人本人意愿，在一定范围内，以适当方式为干部澄清正名，消除负面影响。` }], sign: [], minHeight: 40 },
    ],
    footer: '本表由纪（工）委存档。',
    documentTitle: `临港开发区澄清正名登记表 ${d.caseNumber}`,
    subject: '《容错细则》第九条',
  };
}
