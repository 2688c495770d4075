import type { DataSource } from 'typeorm';
import { toleranceWorkflow } from '../domain/tolerance/definition';
import { EXEMPTIONS, item, OTHER_SITUATION, SITUATIONS } from '../domain/tolerance/policy';
import { verdictOf } from '../domain/workflow/chain';
import type { CaseConclusion } from '../domain/workflow/record';
import type { CaseRecord, CaseStatus, StageRecord } from '../domain/workflow/types';
import {
  asIndexes,
  asString,
  chainData,
  chainNotes,
  countOf,
  entryLines,
  formSource,
  readCase,
  revocationData,
  unitPath,
  type ChainData,
  type FormEntry,
  type FormSource,
  type RevocationData,
} from './formData';
import { bare, chineseDate, FORM_FOOTER, layoutDocx, layoutPdf, lines, reportedNote, returnNote, sealedSignature, signature, zoneRowNote, type FormLayout, type FormLine } from './formLayout';

export { PDF_FONT_PACKAGE, PdfFontMissingError, resolvePdfFont, type PdfFont } from './pdfFont';

/**
 * 附件1 临港开发区容错免责审批表 for one 容错免责 case, as .docx and as PDF. Reading the case
 * (loadApprovalFormData) is kept apart from rendering: both renderers draw the same FormLayout
 * (formLayout.ts), built from a plain ApprovalFormData, so the Word file and the PDF always say the same thing.
 * The rows are the stages: on the city path of 《容错细则》第六条（一）4 the 集体研究 fills 基层党委意见
 * and the 开发区党工委主要负责人's signature 开发区党工委意见; the 呈报 and the answer go in 备注.
 */

// ---------------------------------------------------------------------------------------------
// The data: what the form shows, read from the case, its stages and the roster.

export interface ApprovalFormData extends ChainData {
  caseId: number;
  caseNumber: string;
  status: CaseStatus;
  applicantName: string;
  /** The applicant's unit with its parents below the zone, e.g. 经济发展局综合科. */
  unitName: string;
  unitId: number;
  post: string;
  nature: string;
  /** ISO instants. */
  appliedAt: string;
  createdAt: string;
  /** 问责事项 as the applicant chose or described it. */
  matter: string;
  reason: string;
  /** Indexes into SITUATIONS (第五条（一）…（十）). */
  situations: number[];
  otherSituation: string | null;
  /** A 改革创新风险备案 the request cites, as “number title”. */
  filing: string | null;
  integrated: boolean;
  attachments: number;
  unit: FormEntry | null;
  conclusion: CaseConclusion | null;
  /** The 第七条 outcome finally granted (indexes into EXEMPTIONS); empty unless granted, or revoked after a grant. */
  granted: number[];
  /** YYYY-MM-DD the exemption was 报备 to 市纪委监委. */
  reportedOn: string | null;
  /** 第十条 revocation and, once recorded, the 严肃处理. */
  revocation: RevocationData | null;
}

export class CaseKindError extends Error {
  constructor(number: string) {
    super(`${number} 不是容错免责申请 (not a tolerance exemption case)`);
    this.name = 'CaseKindError';
  }
}

/**
 * Reads everything 附件1 shows for the case with this id; undefined when there is no such case.
 * Throws CaseKindError for a case that is not a 容错免责 request.
 */
export async function loadApprovalFormData(db: DataSource, caseId: number): Promise<ApprovalFormData | undefined> {
  const source = await formSource(db);
  const c = await source.cases.get(caseId);
  if (!c) return undefined;
  if (c.kind !== 'tolerance') throw new CaseKindError(c.number);
  return buildFormData(c, await source.cases.stages(c.id), source);
}

/** Shared with the ledger, which reads many cases through one source. */
export async function buildFormData(c: CaseRecord, stages: StageRecord[], source: FormSource): Promise<ApprovalFormData> {
  const def = toleranceWorkflow;
  const form = c.form;
  const reading = await readCase(def, c, stages, source);
  const filingId = typeof form.filingId === 'number' ? form.filingId : null;
  const filingCase = filingId === null ? undefined : await source.cases.get(filingId);
  const grantedBefore = c.status === 'granted' || (c.status === 'revoked' && c.revocation?.previousStatus === 'granted');
  const granted = grantedBefore && c.outcome && verdictOf(def, c.outcome.verdict).grants ? c.outcome.outcomes : [];

  return {
    ...chainData(def, c, reading),
    caseId: c.id,
    caseNumber: c.number,
    status: c.status,
    applicantName: asString(form.applicantName) || (await source.nameOf(c.applicantId)),
    unitName: unitPath(source.units, c.unitId) || asString(form.unitName),
    unitId: c.unitId,
    post: asString(form.post),
    nature: asString(form.nature),
    appliedAt: asString(form.appliedAt) || c.createdAt,
    createdAt: c.createdAt,
    matter: asString(form.matter),
    reason: asString(form.reason),
    situations: asIndexes(form.situations).filter((i) => i < SITUATIONS.length),
    otherSituation: form.otherSituation ? asString(form.otherSituation) : null,
    filing: filingCase ? `${filingCase.number} ${asString(filingCase.form.title)}`.trim() : null,
    integrated: c.integrated,
    attachments: countOf(form.attachments),
    unit: reading.rows.get('unit') ?? null,
    conclusion: c.outcome,
    granted: granted.filter((i) => i < EXEMPTIONS.length),
    reportedOn: c.reportedOn,
    revocation: await revocationData(c.revocation, source.nameOf),
  };
}

// ---------------------------------------------------------------------------------------------
// Wording shared by the form and the ledger.

/** （二）在推进改革…的 — a 第五条 situation by number and text. */
export function situationText(index: number, other: string | null = null): string {
  return index === OTHER_SITUATION && other ? `${item(index)}${SITUATIONS[index]}：${bare(other)}` : `${item(index)}${SITUATIONS[index]}`;
}

// ---------------------------------------------------------------------------------------------
// The layout: the rows of 附件1 with their content.

/** The 备注 lines of a 第十条 revocation: what was revoked, why, and the 严肃处理 once recorded. */
export function revocationNotes(r: RevocationData | null): FormLine[] {
  if (!r) return [];
  const what = r.previousStatus === 'granted' ? '撤销容错免责认定' : '撤销原办理结论';
  return [
    { text: `撤销：${chineseDate(r.at)}，${r.by}依据《容错细则》${r.reason}，${what}，重新启动问责程序。说明：${bare(r.description)}。` },
    {
      text: r.handling
        ? `严肃处理：${bare(r.handling.result)}（${chineseDate(r.handling.decidedOn)}${r.handling.documentNumber ? `，${r.handling.documentNumber}` : ''}，${r.handling.by}登记）。`
        : '严肃处理：结果尚未登记。',
    },
  ];
}

export function formLayout(d: ApprovalFormData): FormLayout {
  const def = toleranceWorkflow;
  const reason: FormLine[] = [
    ...lines(d.reason),
    { text: `问责事项：${d.matter || '（未填写）'}` },
    { text: '申请容错情形（《容错细则》第五条）：', bold: true },
    ...d.situations.map((i) => ({ text: `${situationText(i, d.otherSituation)}；` })),
    // Not asked on the city path, where it changes nothing.
    ...(d.path === 'city' ? [] : [{ text: `是否属于“八个一体化”事项：${d.integrated ? '是' : '否'}` }]),
    ...(d.filing ? [{ text: `关联的改革创新风险备案：${d.filing}` }] : []),
    ...(d.attachments > 0 ? [{ text: `证明材料：${d.attachments} 份（另附）` }] : []),
  ];
  const body = (e: FormEntry | null) => (e ? entryLines(def, e) : []);

  const notes: FormLine[] = [
    { text: `编号：${d.caseNumber}；当前状态：${d.statusLabel}。` },
    { text: `办理路径：${d.pathTitle}${d.pathReasons.length > 0 ? `（${d.pathReasons.join('；')}）` : ''}。` },
  ];
  notes.push(...d.returns.map((r) => returnNote(r, '申请人')));
  notes.push(...chainNotes(def, d));
  notes.push(...zoneRowNote(d.integrated || d.path === 'city'));
  notes.push(...revocationNotes(d.revocation));
  notes.push(...reportedNote(d.reportedOn, d.path === 'city' ? '' : d.status));

  return {
    annex: '附件1',
    title: '临港开发区容错免责审批表',
    numberLine: `编号：${d.caseNumber}`,
    head: [
      { label: '申请人', value: d.applicantName },
      { label: '申请时间', value: chineseDate(d.appliedAt) },
    ],
    rows: [
      { label: ['职务或性质'], body: [{ text: `${d.post}（${d.nature}）\u3000所在单位：${d.unitName}` }], sign: [], minHeight: 30 },
      { label: ['申请事由'], body: reason, sign: [], minHeight: 120 },
      { label: ['所在单位', '党组织意见'], body: body(d.unit), sign: [`${signature(d.unit, '主要负责人：')}（盖章）`], minHeight: 90 },
      { label: ['纪（工）委', '意\u3000见'], body: body(d.discipline), sign: [sealedSignature(d.discipline, '核实人：')], minHeight: 110 },
      { label: ['基层党委', '意\u3000见'], body: body(d.committee), sign: [signature(d.committee, '签名：')], minHeight: 80 },
      { label: ['开发区', '党工委意见'], body: body(d.zone), sign: [signature(d.zone, '签名：')], minHeight: 80 },
      { label: ['备\u3000注'], body: notes, sign: [], minHeight: 60 },
    ],
    footer: FORM_FOOTER,
    documentTitle: `临港开发区容错免责审批表 ${d.caseNumber}`,
    subject: '《容错细则》附件1',
  };
}

/** Renders 附件1 as a Word document: A4, 宋体, the bordered table of the paper form. */
export async function approvalFormDocx(data: ApprovalFormData): Promise<Buffer> {
  return layoutDocx(formLayout(data));
}

/** Renders 附件1 as PDF with a CJK system font (see resolvePdfFont); same layout as the .docx. */
export async function approvalFormPdf(data: ApprovalFormData, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  return layoutPdf(formLayout(data), env);
}
