import type { DataSource } from 'typeorm';
import { toleranceWorkflow } from '../domain/tolerance/definition';
import { EXEMPTIONS, item, OTHER_SITUATION, SITUATIONS } from '../domain/tolerance/policy';
import type { CaseRecord, CaseStatus, StageRecord } from '../domain/workflow/types';
import type { Unit } from '../roster/types';
import { asIndexes, asString, countOf, decidedStage, formSource, returnRounds, stageOpinion, unitPath, type NameOf, type ReturnRound, type StageOpinion } from './formData';
import {
  bare,
  brief,
  chineseDate,
  DECISION_LABELS,
  decisionLine,
  FORM_FOOTER,
  layoutDocx,
  layoutPdf,
  lines,
  reportedNote,
  returnNote,
  sealedSignature,
  signature,
  zoneRowNote,
  type FormLayout,
  type FormLine,
} from './formLayout';

// The pieces this module was first written with, now shared with 附件2: still importable from here.
export { unitPath, type ReturnRound, type StageOpinion } from './formData';
export { chineseDate, DECISION_LABELS, wrapText, type FormLayout, type FormLine, type FormRow } from './formLayout';
export { PDF_FONT_PACKAGE, PdfFontMissingError, resolvePdfFont, type PdfFont } from './pdfFont';

/**
 * 附件1 临港开发区容错免责审批表 for one 容错免责 case, as .docx and as PDF. Reading the case
 * (loadApprovalFormData) is kept apart from rendering: both renderers draw the same FormLayout
 * (formLayout.ts), built from a plain ApprovalFormData, so the Word file and the PDF always say the same thing.
 */

// ---------------------------------------------------------------------------------------------
// The data: what the form shows, read from the case, its stages and the roster.

/** The 纪（工）委 row: the opinion plus the 六看 findings and the proposed 第七条 outcome. */
export interface DisciplineOpinion extends StageOpinion {
  /** 第四条“六看”: heading (看问题性质 …) and the investigator's finding. */
  sixLooks: { title: string; finding: string }[];
  /** 予以容错免责 / 不予容错免责. */
  conclusion: string | null;
  /** Indexes into EXEMPTIONS (第七条（一）…（四）) the investigator proposed. */
  exemptions: number[];
}


export interface ApprovalFormData {
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
  unit: StageOpinion | null;
  discipline: DisciplineOpinion | null;
  committee: StageOpinion | null;
  /** 开发区党工委意见: only 八个一体化 cases have one. */
  zone: StageOpinion | null;
  returns: ReturnRound[];
  /** The 第七条 outcome actually granted (indexes into EXEMPTIONS); empty unless granted or revoked. */
  granted: number[];
  /** YYYY-MM-DD the exemption was 报备 to 市纪委监委. */
  reportedOn: string | null;
  /** 第十条 revocation. */
  revocation: { reason: string; description: string; by: string; at: string } | null;
}

export const STATUS_LABELS: Record<CaseStatus, string> = {
  in_review: '审批中',
  returned: '退回补充中',
  blocked: '审批中（待补充名册）',
  withdrawn: '已撤回',
  granted: '予以容错免责',
  rejected: '不予容错免责',
  revoked: '已撤销容错免责认定',
};

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
  const { cases, units, nameOf } = await formSource(db);
  const c = await cases.get(caseId);
  if (!c) return undefined;
  if (c.kind !== 'tolerance') throw new CaseKindError(c.number);
  return buildFormData(c, await cases.stages(c.id), units, nameOf, async (id) => cases.get(id));
}

/** Shared with the ledger, which reads many cases with one roster cache. */
export async function buildFormData(
  c: CaseRecord,
  stages: StageRecord[],
  units: Map<number, Unit>,
  nameOf: NameOf,
  caseById: (id: number) => Promise<CaseRecord | undefined>,
): Promise<ApprovalFormData> {
  const form = c.form;
  const opinion = (key: string) => stageOpinion(stages, key, nameOf);
  const disciplineBase = await opinion('discipline');
  const findings = decidedStage(stages, 'discipline')?.findings ?? {};
  const sixLooks = Object.entries((findings.sixLooks as Record<string, unknown> | undefined) ?? {}).map(([title, finding]) => ({ title, finding: asString(finding) }));
  const proposal = findings.outcome as { exemptions?: unknown } | null | undefined;

  const filingId = typeof form.filingId === 'number' ? form.filingId : null;
  const filingCase = filingId === null ? undefined : await caseById(filingId);
  const revocation = c.revocation;

  return {
    caseId: c.id,
    caseNumber: c.number,
    status: c.status,
    applicantName: asString(form.applicantName) || (await nameOf(c.applicantId)),
    unitName: unitPath(units, c.unitId) || asString(form.unitName),
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
    unit: await opinion('unit'),
    discipline: disciplineBase && {
      ...disciplineBase,
      sixLooks,
      conclusion: findings.conclusion ? asString(findings.conclusion) : null,
      exemptions: asIndexes(proposal?.exemptions).filter((i) => i < EXEMPTIONS.length),
    },
    committee: await opinion('committee'),
    zone: await opinion('zone'),
    returns: await returnRounds(c, stages, toleranceWorkflow, nameOf),
    granted: c.status === 'granted' || c.status === 'revoked' ? asIndexes((c.outcome as { exemptions?: unknown } | null)?.exemptions) : [],
    reportedOn: c.reportedOn,
    revocation: revocation
      ? { reason: asString(revocation.reason), description: asString(revocation.description), by: await nameOf(revocation.by as number), at: asString(revocation.at) }
      : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Wording shared by the form and the ledger.

/** （二）在推进改革…的 — a 第五条 situation by number and text. */
export function situationText(index: number, other: string | null = null): string {
  return index === OTHER_SITUATION && other ? `${item(index)}${SITUATIONS[index]}：${bare(other)}` : `${item(index)}${SITUATIONS[index]}`;
}

/** （一）在党风廉政建设责任制考核中免予扣分，免予一票否决 — a 第七条 exemption by number and text. */
export function exemptionText(index: number): string {
  return `${item(index)}${EXEMPTIONS[index]}`;
}

/** 六看 findings longer than this are shortened on the form; the full text stays in the case record. */
const FINDING_MAX = 100;

// ---------------------------------------------------------------------------------------------
// The layout: the rows of 附件1 with their content.

export function formLayout(d: ApprovalFormData): FormLayout {
  const reason: FormLine[] = [
    ...lines(d.reason),
    { text: `问责事项：${d.matter || '（未填写）'}` },
    { text: '申请容错情形（《容错细则》第五条）：', bold: true },
    ...d.situations.map((i) => ({ text: `${situationText(i, d.otherSituation)}；` })),
    { text: `是否属于“八个一体化”事项：${d.integrated ? '是' : '否'}` },
    ...(d.filing ? [{ text: `关联的改革创新风险备案：${d.filing}` }] : []),
    ...(d.attachments > 0 ? [{ text: `证明材料：${d.attachments} 份（另附）` }] : []),
  ];

  const unit = d.unit;
  const discipline = d.discipline;
  const disciplineBody: FormLine[] = discipline
    ? [
        ...lines(discipline.opinion),
        ...(discipline.sixLooks.length > 0
          ? [
              { text: '调查核实情况（《容错细则》第四条“六看”）：', bold: true },
              ...discipline.sixLooks.map((l) => ({ text: `${l.title}：${brief(l.finding, FINDING_MAX)}` })),
            ]
          : []),
        { text: `认定结论：${discipline.conclusion ?? DECISION_LABELS[discipline.decision]}` },
        ...(discipline.exemptions.length > 0
          ? [{ text: '建议容错免责处理（《容错细则》第七条）：', bold: true }, ...discipline.exemptions.map((i) => ({ text: `${exemptionText(i)}；` }))]
          : []),
      ]
    : [];

  const notes: FormLine[] = [{ text: `编号：${d.caseNumber}；当前状态：${STATUS_LABELS[d.status]}。` }];
  notes.push(...d.returns.map((r) => returnNote(r, '申请人')));
  notes.push(...zoneRowNote(d.integrated));
  if (d.revocation) {
    notes.push({
      text: `撤销认定：${chineseDate(d.revocation.at)}，${d.revocation.by}依据《容错细则》${d.revocation.reason}，撤销容错免责认定，重新启动问责程序。说明：${bare(d.revocation.description)}。`,
    });
  }
  notes.push(...reportedNote(d.reportedOn, d.status));

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
      {
        label: ['所在单位', '党组织意见'],
        body: unit ? [...lines(unit.opinion), decisionLine(unit)] : [],
        sign: [`${signature(unit, '主要负责人：')}（盖章）`],
        minHeight: 90,
      },
      {
        label: ['纪（工）委', '意\u3000见'],
        body: disciplineBody,
        sign: [sealedSignature(discipline, '核实人：')],
        minHeight: 110,
      },
      {
        label: ['基层党委', '意\u3000见'],
        body: d.committee ? [...lines(d.committee.opinion), decisionLine(d.committee)] : [],
        sign: [signature(d.committee, '签名：')],
        minHeight: 80,
      },
      {
        label: ['开发区', '党工委意见'],
        body: d.integrated && d.zone ? [...lines(d.zone.opinion), decisionLine(d.zone)] : [],
        sign: [signature(d.integrated ? d.zone : null, '签名：')],
        minHeight: 80,
      },
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
