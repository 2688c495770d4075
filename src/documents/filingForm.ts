import type { DataSource } from 'typeorm';
import { filingWorkflow } from '../domain/filing/definition';
import type { CaseRecord, CaseStatus, StageRecord } from '../domain/workflow/types';
import {
  asString,
  chainData,
  chainNotes,
  countOf,
  entryLines,
  formSource,
  readCase,
  unitPath,
  type ChainData,
  type FormEntry,
  type FormSource,
} from './formData';
import { bare, chineseDate, FORM_FOOTER, layoutDocx, layoutPdf, lines, reportedNote, returnNote, sealedSignature, signature, zoneRowNote, type FormLayout, type FormLine } from './formLayout';

/**
 * 附件2 临港开发区改革创新风险备案表 for one 改革创新风险备案 (《容错细则》第六条（二）), as .docx
 * and as PDF, drawn by the same renderers as 附件1. The paper form's rows are the stages of the
 * filing workflow: 备案单位意见, 分管领导意见, 会审意见 (with each participant's opinion of the
 * 集体会审), 纪（工）委意见, 基层党委意见 (on the city path: the 党（工）委会集体研究), and 开发区党工委意见.
 * The 备注 row keeps the number, status, path, 重新核实, 呈报 and answer, 回复, 报备, result report and 绩效评价.
 */

/** One participant of the 集体会审 and what they said (stance null while they have not answered). */
export interface ReviewOpinion {
  reviewer: string;
  stance: string | null;
  opinion: string | null;
}

export interface FilingResult {
  solvedProblem: boolean;
  harmOccurred: boolean;
  narrative: string;
  /** ISO instant of the report. */
  at: string;
  attachments: number;
}

export interface FilingEvaluation {
  /** 好 / 较好 / 一般 / 差. */
  rating: string;
  comment: string;
  by: string;
}

export interface FilingFormData extends ChainData {
  caseId: number;
  caseNumber: string;
  status: CaseStatus;
  /** The person who filed (经办人). */
  filerName: string;
  /** 备案单位 with its parents below the zone, e.g. 经济发展局综合科. */
  unitName: string;
  unitId: number;
  /** ISO instants. */
  filedAt: string;
  createdAt: string;
  /** 备案事项. */
  title: string;
  reason: string;
  policyBasis: string;
  risks: string;
  /** YYYY-MM-DD of the unit's 集体讨论, and how many minutes were sent. */
  discussedOn: string;
  minutes: number;
  /** YYYY-MM-DD: the 实施期限, during which the filing is in force. */
  periodStart: string;
  periodEnd: string;
  integrated: boolean;
  attachments: number;
  unit: FormEntry | null;
  supervisor: FormEntry | null;
  /** The participants of the 集体会审 (of the decided 会审, or of the one under way). */
  reviews: ReviewOpinion[];
  /** The joint 会审意见 the 纪（工）委 recorded. */
  review: FormEntry | null;
  /** YYYY-MM-DD the filing was 报备 to 市纪委监委. */
  reportedOn: string | null;
  resultReport: FilingResult | null;
  evaluation: FilingEvaluation | null;
}

export class FilingKindError extends Error {
  constructor(number: string) {
    super(`${number} 不是改革创新风险备案 (not a reform risk filing)`);
    this.name = 'FilingKindError';
  }
}

/** Whether the filing is in force on `today` (YYYY-MM-DD): agreed, and within its 实施期限. */
export function filingInForce(d: Pick<FilingFormData, 'status' | 'periodStart' | 'periodEnd'>, today: string): boolean {
  return d.status === 'granted' && d.periodStart <= today && today <= d.periodEnd;
}

/**
 * Reads everything 附件2 shows for the case with this id; undefined when there is no such case.
 * Throws FilingKindError for a case that is not a filing.
 */
export async function loadFilingFormData(db: DataSource, caseId: number): Promise<FilingFormData | undefined> {
  const source = await formSource(db);
  const c = await source.cases.get(caseId);
  if (!c) return undefined;
  if (c.kind !== 'filing') throw new FilingKindError(c.number);
  return buildFilingFormData(c, await source.cases.stages(c.id), source);
}

async function participants(review: FormEntry | null, stages: StageRecord[], source: FormSource): Promise<ReviewOpinion[]> {
  if (review?.entry.kind === 'jointReview') {
    return Promise.all(review.entry.reviews.map(async (r) => ({ reviewer: await source.nameOf(r.reviewerId), stance: r.stance || null, opinion: r.opinion || null })));
  }
  const open = stages.filter((s) => s.stageKey === 'review' && s.status === 'pending').at(-1);
  if (!open) return [];
  return Promise.all(
    (await source.cases.reviews(open.id)).map(async (r) => ({ reviewer: await source.nameOf(r.reviewerId), stance: r.stance, opinion: r.opinion })),
  );
}

/** Shared with the ledger, which reads many filings through one source. */
export async function buildFilingFormData(c: CaseRecord, stages: StageRecord[], source: FormSource): Promise<FilingFormData> {
  const { nameOf } = source;
  const def = filingWorkflow;
  const form = c.form;
  const reading = await readCase(def, c, stages, source);
  const result = form.resultReport as Record<string, unknown> | undefined;
  const evaluation = form.evaluation as Record<string, unknown> | undefined;
  const review = reading.rows.get('review') ?? null;
  return {
    ...chainData(def, c, reading),
    caseId: c.id,
    caseNumber: c.number,
    status: c.status,
    filerName: asString(form.applicantName) || (await nameOf(c.applicantId)),
    unitName: unitPath(source.units, c.unitId) || asString(form.unitName),
    unitId: c.unitId,
    filedAt: asString(form.filedAt) || c.createdAt,
    createdAt: c.createdAt,
    title: asString(form.title),
    reason: asString(form.reason),
    policyBasis: asString(form.policyBasis),
    risks: asString(form.risks),
    discussedOn: asString(form.discussedOn),
    minutes: countOf(form.minutes),
    periodStart: asString(form.periodStart),
    periodEnd: asString(form.periodEnd),
    integrated: c.integrated,
    attachments: countOf(form.attachments),
    unit: reading.rows.get('unit') ?? null,
    supervisor: reading.rows.get('supervisor') ?? null,
    reviews: await participants(review, stages, source),
    review,
    reportedOn: c.reportedOn,
    resultReport: result
      ? {
          solvedProblem: result.solvedProblem === true,
          harmOccurred: result.harmOccurred === true,
          narrative: asString(result.narrative),
          at: asString(result.at),
          attachments: countOf(result.attachments),
        }
      : null,
    evaluation: evaluation ? { rating: asString(evaluation.rating), comment: asString(evaluation.comment), by: await nameOf(Number(evaluation.by)) } : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Wording shared by the form and the ledger.

/** 2026-12-01 至 2027-06-30 as the form writes it: 2026年12月1日至2027年6月30日. */
export function periodText(d: Pick<FilingFormData, 'periodStart' | 'periodEnd'>): string {
  return `${chineseDate(d.periodStart)}至${chineseDate(d.periodEnd)}`;
}

/** 解决了实际问题；无危害结果发生。<narrative> */
export function resultText(r: FilingResult): string {
  return `${r.solvedProblem ? '解决了实际问题' : '未解决实际问题'}；${r.harmOccurred ? '有危害结果发生' : '无危害结果发生'}。${r.narrative}`;
}

export function evaluationText(e: FilingEvaluation): string {
  return `${e.rating}：${bare(e.comment)}。（${e.by}）`;
}

function reviewLine(r: ReviewOpinion): FormLine {
  return { text: r.stance === null ? `${r.reviewer}：尚未提出意见` : `${r.reviewer}：${r.stance}。${r.opinion ? `${bare(r.opinion)}。` : ''}` };
}

const opinionBody = (o: FormEntry | null): FormLine[] => (o ? entryLines(filingWorkflow, o) : []);

// ---------------------------------------------------------------------------------------------
// The layout: the rows of 附件2 with their content.

export function filingFormLayout(d: FilingFormData): FormLayout {
  const reason: FormLine[] = [
    { text: `备案事项：${d.title}`, bold: true },
    ...lines(d.reason),
    ...(d.policyBasis ? [{ text: `政策依据：${d.policyBasis}` }] : []),
    { text: `实施期限：${periodText(d)}` },
    ...(d.discussedOn ? [{ text: `单位党组织集体讨论：${chineseDate(d.discussedOn)}${d.minutes > 0 ? `（会议纪要 ${d.minutes} 份，另附）` : ''}` }] : []),
    ...(d.path === 'city' ? [] : [{ text: `是否属于“八个一体化”事项：${d.integrated ? '是' : '否'}` }]),
    ...(d.attachments > 0 ? [{ text: `实施方案等材料：${d.attachments} 份（另附）` }] : []),
  ];

  const review: FormLine[] = [
    ...(d.reviews.length > 0 ? [{ text: '参加会审人员意见：', bold: true }, ...d.reviews.map(reviewLine)] : []),
    ...(d.review ? [...(d.reviews.length > 0 ? [{ text: '集体会审意见：', bold: true }] : []), ...opinionBody(d.review)] : []),
  ];

  const notes: FormLine[] = [
    { text: `编号：${d.caseNumber}；经办人：${d.filerName}；当前状态：${d.statusLabel}。` },
    { text: `办理路径：${d.pathTitle}${d.pathReasons.length > 0 ? `（${d.pathReasons.join('；')}）` : ''}。` },
  ];
  notes.push(...d.returns.map((r) => returnNote(r, '备案单位')));
  notes.push(...chainNotes(filingWorkflow, d));
  if (d.path === 'city') notes.push({ text: '以开发区党工委、管委会为申请主体呈报市纪委监委（《容错细则》第六条（二）3）。' });
  notes.push(...zoneRowNote(d.integrated || d.path === 'city'), ...reportedNote(d.reportedOn, d.path === 'city' ? '' : d.status));
  if (d.resultReport) notes.push({ text: `结果报告（${chineseDate(d.resultReport.at)}）：${resultText(d.resultReport)}` });
  if (d.evaluation) notes.push({ text: `绩效评价：${evaluationText(d.evaluation)}` });

  return {
    annex: '附件2',
    title: '临港开发区改革创新风险备案表',
    numberLine: `编号：${d.caseNumber}`,
    head: [
      { label: '备案单位', value: d.unitName },
      { label: '备案时间', value: chineseDate(d.filedAt) },
    ],
    rows: [
      { label: ['备案事由', '(计划、方案', '可另附)'], body: reason, sign: [], minHeight: 120 },
      { label: ['存在的风险', '(详情可另附)'], body: lines(d.risks), sign: [], minHeight: 90 },
      { label: ['备案单位', '意\u3000见'], body: opinionBody(d.unit), sign: [`${signature(d.unit, '主要负责人：')}（盖章）`], minHeight: 80 },
      { label: ['分管领导', '意\u3000见'], body: opinionBody(d.supervisor), sign: [signature(d.supervisor, '签名：')], minHeight: 70 },
      { label: ['会审意见'], body: review, sign: [sealedSignature(d.review, '牵头人：')], minHeight: 90 },
      { label: ['纪（工）委', '意\u3000见'], body: opinionBody(d.discipline), sign: [sealedSignature(d.discipline, '认定人：')], minHeight: 80 },
      { label: ['基层党委', '意\u3000见'], body: opinionBody(d.committee), sign: [signature(d.committee, '签名：')], minHeight: 70 },
      {
        label: ['开发区', '党工委意见'],
        body: opinionBody(d.zone),
        sign: [signature(d.zone, '签名：')],
        minHeight: 70,
      },
      { label: ['备\u3000注'], body: notes, sign: [], minHeight: 50 },
    ],
    footer: FORM_FOOTER,
    documentTitle: `临港开发区改革创新风险备案表 ${d.caseNumber}`,
    subject: '《容错细则》附件2',
  };
}

/** Renders 附件2 as a Word document: A4, 宋体, the bordered table of the paper form. */
export async function filingFormDocx(data: FilingFormData): Promise<Buffer> {
  return layoutDocx(filingFormLayout(data));
}

/** Renders 附件2 as PDF with a CJK system font (see resolvePdfFont); same layout as the .docx. */
export async function filingFormPdf(data: FilingFormData, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  return layoutPdf(filingFormLayout(data), env);
}
