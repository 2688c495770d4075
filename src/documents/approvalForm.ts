import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  HeightRule,
} from 'docx';
import * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import type { DataSource } from 'typeorm';
import { zoneDate } from '../clock';
import { EXEMPTIONS, item, OTHER_SITUATION, SITUATIONS } from '../domain/tolerance/policy';
import { CaseRepository } from '../domain/workflow/caseRepository';
import type { CaseRecord, CaseStatus, Decision, StageRecord } from '../domain/workflow/types';
import { RosterRepository } from '../roster/rosterRepository';
import type { Unit } from '../roster/types';

/**
 * 附件1 临港开发区容错免责审批表 for one 容错免责 case, as .docx and as PDF. Reading the case
 * (loadApprovalFormData) is kept apart from rendering: both renderers draw the same FormLayout,
 * built from a plain ApprovalFormData, so the Word file and the PDF always say the same thing.
 */

// ---------------------------------------------------------------------------------------------
// The data: what the form shows, read from the case, its stages and the roster.

/** One filled row of the chain: who decided what and when. */
export interface StageOpinion {
  decision: Exclude<Decision, 'return'>;
  opinion: string;
  /** The person who decided (the signature on paper). */
  signer: string;
  /** ISO instant of the decision. */
  decidedAt: string;
}

/** The 纪（工）委 row: the opinion plus the 六看 findings and the proposed 第七条 outcome. */
export interface DisciplineOpinion extends StageOpinion {
  /** 第四条“六看”: heading (看问题性质 …) and the investigator's finding. */
  sixLooks: { title: string; finding: string }[];
  /** 予以容错免责 / 不予容错免责. */
  conclusion: string | null;
  /** Indexes into EXEMPTIONS (第七条（一）…（四）) the investigator proposed. */
  exemptions: number[];
}

/** A 退回补充 round: the question of the stage that returned the case and the applicant's answer. */
export interface ReturnRound {
  stageTitle: string;
  by: string;
  at: string;
  question: string;
  answer: string | null;
  answeredAt: string | null;
  attachments: number;
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

const asString = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const asIndexes = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number).filter((n) => Number.isInteger(n) && n >= 0) : []);

/** The unit's name with its parents below the zone itself: 经济发展局综合科, 利港街道城建科. */
export function unitPath(units: Map<number, Unit>, unitId: number): string {
  const names: string[] = [];
  for (let u = units.get(unitId); u && names.length <= units.size; u = u.parentId === null ? undefined : units.get(u.parentId)) {
    if (u.parentId !== null || names.length === 0) names.unshift(u.name);
  }
  return names.join('');
}

/** The last decided (approve/reject) record of a stage: what its row of the form shows. */
function decided(stages: StageRecord[], key: string): StageRecord | undefined {
  return stages.filter((s) => s.stageKey === key && s.status === 'decided' && (s.decision === 'approve' || s.decision === 'reject')).at(-1);
}

/**
 * Reads everything 附件1 shows for the case with this id; undefined when there is no such case.
 * Throws CaseKindError for a case that is not a 容错免责 request.
 */
export async function loadApprovalFormData(db: DataSource, caseId: number): Promise<ApprovalFormData | undefined> {
  const cases = new CaseRepository(db);
  const roster = new RosterRepository(db);
  const c = await cases.get(caseId);
  if (!c) return undefined;
  if (c.kind !== 'tolerance') throw new CaseKindError(c.number);
  const units = new Map((await roster.units()).map((u) => [u.id, u]));
  const names = new Map<number, string>();
  const nameOf = async (id: number | null | undefined): Promise<string> => {
    if (id === null || id === undefined) return '';
    if (!names.has(id)) names.set(id, (await roster.person(id))?.name ?? '');
    return names.get(id)!;
  };
  return buildFormData(c, await cases.stages(c.id), units, nameOf, async (id) => cases.get(id));
}

/** Shared with the ledger, which reads many cases with one roster cache. */
export async function buildFormData(
  c: CaseRecord,
  stages: StageRecord[],
  units: Map<number, Unit>,
  nameOf: (personId: number | null | undefined) => Promise<string>,
  caseById: (id: number) => Promise<CaseRecord | undefined>,
): Promise<ApprovalFormData> {
  const form = c.form;
  const opinion = async (key: string): Promise<StageOpinion | null> => {
    const s = decided(stages, key);
    if (!s) return null;
    return {
      decision: s.decision as StageOpinion['decision'],
      opinion: s.opinion ?? '',
      signer: await nameOf(s.decidedBy ?? s.assigneeId),
      decidedAt: s.decidedAt ?? s.openedAt,
    };
  };
  const disciplineStage = decided(stages, 'discipline');
  const disciplineBase = await opinion('discipline');
  const findings = disciplineStage?.findings ?? {};
  const sixLooks = Object.entries((findings.sixLooks as Record<string, unknown> | undefined) ?? {}).map(([title, finding]) => ({ title, finding: asString(finding) }));
  const proposal = findings.outcome as { exemptions?: unknown } | null | undefined;

  const supplements = Array.isArray(form.supplements) ? (form.supplements as Record<string, unknown>[]) : [];
  const returned = stages.filter((s) => s.status === 'returned' && s.decision === 'return');
  const returns: ReturnRound[] = [];
  for (const [i, s] of returned.entries()) {
    const answer = supplements[i];
    returns.push({
      stageTitle: STAGE_TITLES[s.stageKey] ?? s.stageKey,
      by: await nameOf(s.decidedBy ?? s.assigneeId),
      at: s.decidedAt ?? s.openedAt,
      question: s.opinion ?? '',
      answer: answer ? asString(answer.text) : null,
      answeredAt: answer ? asString(answer.at) : null,
      attachments: answer && Array.isArray(answer.attachments) ? answer.attachments.length : 0,
    });
  }

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
    attachments: Array.isArray(form.attachments) ? form.attachments.length : 0,
    unit: await opinion('unit'),
    discipline: disciplineBase && {
      ...disciplineBase,
      sixLooks,
      conclusion: findings.conclusion ? asString(findings.conclusion) : null,
      exemptions: asIndexes(proposal?.exemptions).filter((i) => i < EXEMPTIONS.length),
    },
    committee: await opinion('committee'),
    zone: await opinion('zone'),
    returns,
    granted: c.status === 'granted' || c.status === 'revoked' ? asIndexes((c.outcome as { exemptions?: unknown } | null)?.exemptions) : [],
    reportedOn: c.reportedOn,
    revocation: revocation
      ? { reason: asString(revocation.reason), description: asString(revocation.description), by: await nameOf(revocation.by as number), at: asString(revocation.at) }
      : null,
  };
}

const STAGE_TITLES: Record<string, string> = {
  unit: '所在单位党组织意见',
  discipline: '纪（工）委意见',
  committee: '基层党委意见',
  zone: '开发区党工委意见',
};

// ---------------------------------------------------------------------------------------------
// Wording shared by the form and the ledger.

/** User text without its closing punctuation, for sentences the form completes itself. */
const bare = (text: string): string => text.trim().replace(/[。；;.，,、\s]+$/u, '');

/** 2026年11月27日: an ISO instant (taken in Asia/Shanghai) or a YYYY-MM-DD date. */
export function chineseDate(value: string | null | undefined): string {
  if (!value) return '';
  const ymd = /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : zoneDate(new Date(value));
  const [y, m, d] = ymd.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** （二）在推进改革…的 — a 第五条 situation by number and text. */
export function situationText(index: number, other: string | null = null): string {
  return index === OTHER_SITUATION && other ? `${item(index)}${SITUATIONS[index]}：${bare(other)}` : `${item(index)}${SITUATIONS[index]}`;
}

/** （一）在党风廉政建设责任制考核中免予扣分，免予一票否决 — a 第七条 exemption by number and text. */
export function exemptionText(index: number): string {
  return `${item(index)}${EXEMPTIONS[index]}`;
}

export const DECISION_LABELS: Record<StageOpinion['decision'], string> = { approve: '同意', reject: '不同意' };

const BLANK_DATE = '年\u3000\u3000月\u3000\u3000日';
const BLANK_NAME = '\u3000\u3000\u3000\u3000\u3000\u3000';
/** Findings longer than this are shortened on the form; the full text stays in the case record. */
const FINDING_MAX = 100;

const brief = (text: string, max: number): string => (Array.from(text).length > max ? `${Array.from(text).slice(0, max).join('')}……` : text);

// ---------------------------------------------------------------------------------------------
// The layout: the rows of the paper form with their content, for either renderer.

export interface FormLine {
  text: string;
  bold?: boolean;
}

export interface FormRow {
  /** The label cell, one entry per line as on paper (所在单位 / 党组织意见). */
  label: string[];
  body: FormLine[];
  /** Signature and date, right-aligned at the foot of the cell. */
  sign: string[];
  /** Height the paper form gives the row when empty, in points. */
  minHeight: number;
}

export interface FormLayout {
  annex: string;
  title: string;
  numberLine: string;
  applicant: string;
  appliedOn: string;
  rows: FormRow[];
  footer: string;
}

const lines = (text: string): FormLine[] => text.split(/\r?\n/).filter((l, i, all) => l.trim() !== '' || (i > 0 && i < all.length - 1)).map((t) => ({ text: t }));

function decisionLine(o: StageOpinion): FormLine {
  return { text: `审批结论：${DECISION_LABELS[o.decision]}` };
}

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

  const signed = (o: StageOpinion | null, who: string) => (o ? `${who}${o.signer}\u3000\u3000${chineseDate(o.decidedAt)}` : `${who}${BLANK_NAME}\u3000\u3000${BLANK_DATE}`);

  const notes: FormLine[] = [{ text: `编号：${d.caseNumber}；当前状态：${STATUS_LABELS[d.status]}。` }];
  for (const r of d.returns) {
    notes.push({
      text:
        `退回补充：${chineseDate(r.at)}，${r.stageTitle}环节${r.by}要求：${bare(r.question)}` +
        (r.answer === null ? '；申请人尚未补充。' : `；申请人于${chineseDate(r.answeredAt)}补充：${bare(r.answer)}${r.attachments > 0 ? `（附件${r.attachments}份）` : ''}。`),
    });
  }
  if (!d.integrated) notes.push({ text: '本事项不属于“八个一体化”事项，开发区党工委意见栏不适用。' });
  if (d.revocation) {
    notes.push({
      text: `撤销认定：${chineseDate(d.revocation.at)}，${d.revocation.by}依据《容错细则》${d.revocation.reason}，撤销容错免责认定，重新启动问责程序。说明：${bare(d.revocation.description)}。`,
    });
  }
  if (d.reportedOn) notes.push({ text: `已于${chineseDate(d.reportedOn)}报备市纪委监委。` });
  else if (d.status === 'granted') notes.push({ text: '报备市纪委监委：尚未报备。' });

  return {
    annex: '附件1',
    title: '临港开发区容错免责审批表',
    numberLine: `编号：${d.caseNumber}`,
    applicant: d.applicantName,
    appliedOn: chineseDate(d.appliedAt),
    rows: [
      { label: ['职务或性质'], body: [{ text: `${d.post}（${d.nature}）\u3000所在单位：${d.unitName}` }], sign: [], minHeight: 30 },
      { label: ['申请事由'], body: reason, sign: [], minHeight: 120 },
      {
        label: ['所在单位', '党组织意见'],
        body: unit ? [...lines(unit.opinion), decisionLine(unit)] : [],
        sign: [`主要负责人：${unit ? unit.signer : BLANK_NAME}\u3000\u3000${unit ? chineseDate(unit.decidedAt) : BLANK_DATE}（盖章）`],
        minHeight: 90,
      },
      {
        label: ['纪（工）委', '意\u3000见'],
        body: disciplineBody,
        sign: [discipline ? `核实人：${discipline.signer}\u3000\u3000${chineseDate(discipline.decidedAt)}（盖章）` : `${BLANK_DATE}（盖章）`],
        minHeight: 110,
      },
      {
        label: ['基层党委', '意\u3000见'],
        body: d.committee ? [...lines(d.committee.opinion), decisionLine(d.committee)] : [],
        sign: [signed(d.committee, '签名：')],
        minHeight: 80,
      },
      {
        label: ['开发区', '党工委意见'],
        body: d.integrated && d.zone ? [...lines(d.zone.opinion), decisionLine(d.zone)] : [],
        sign: [signed(d.integrated ? d.zone : null, '签名：')],
        minHeight: 80,
      },
      { label: ['备\u3000注'], body: notes, sign: [], minHeight: 60 },
    ],
    footer: '此表一式两份，报告单位、纪工委各执一份。',
  };
}

// ---------------------------------------------------------------------------------------------
// Geometry shared by both renderers (points; A4 is 595.28 × 841.89).

const CM = 72 / 2.54;
const PAGE = { width: 595.28, height: 841.89, top: 2.5 * CM, bottom: 2.2 * CM, left: 2.6 * CM, right: 2.6 * CM };
const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;
/** 申请人 | value | 申请时间 | value; later rows merge the last three. */
const COLUMNS = [80, 160, 72, CONTENT_WIDTH - 80 - 160 - 72];
const SIZE = { annex: 12, title: 18, label: 12, body: 10.5, footer: 10.5 };

// ---------------------------------------------------------------------------------------------
// .docx

const SONG = { ascii: 'SimSun', hAnsi: 'SimSun', eastAsia: '宋体', cs: 'SimSun' };
const twip = (pt: number): number => Math.round(pt * 20);
const halfPt = (pt: number): number => Math.round(pt * 2);
const border = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
const cellMargins = { top: twip(4), bottom: twip(4), left: twip(5), right: twip(5) };

function run(text: string, size: number, bold = false): TextRun {
  return new TextRun({ text, size: halfPt(size), bold, font: SONG });
}

function labelCell(label: string[], width: number): TableCell {
  return new TableCell({
    width: { size: twip(width), type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    margins: cellMargins,
    children: label.map((l) => new Paragraph({ alignment: AlignmentType.CENTER, children: [run(l, SIZE.label)] })),
  });
}

/** Renders 附件1 as a Word document: A4, 宋体, the bordered table of the paper form. */
export async function approvalFormDocx(data: ApprovalFormData): Promise<Buffer> {
  const layout = formLayout(data);
  const bodySpacing = { line: 320, before: 0, after: 0 };
  const rows = [
    new TableRow({
      height: { value: twip(32), rule: HeightRule.ATLEAST },
      children: [
        labelCell(['申请人'], COLUMNS[0]),
        new TableCell({
          width: { size: twip(COLUMNS[1]), type: WidthType.DXA },
          verticalAlign: VerticalAlign.CENTER,
          margins: cellMargins,
          children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [run(layout.applicant, SIZE.label)] })],
        }),
        labelCell(['申请时间'], COLUMNS[2]),
        new TableCell({
          width: { size: twip(COLUMNS[3]), type: WidthType.DXA },
          verticalAlign: VerticalAlign.CENTER,
          margins: cellMargins,
          children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [run(layout.appliedOn, SIZE.label)] })],
        }),
      ],
    }),
    ...layout.rows.map(
      (row) =>
        new TableRow({
          height: { value: twip(row.minHeight), rule: HeightRule.ATLEAST },
          children: [
            labelCell(row.label, COLUMNS[0]),
            new TableCell({
              width: { size: twip(COLUMNS[1] + COLUMNS[2] + COLUMNS[3]), type: WidthType.DXA },
              columnSpan: 3,
              verticalAlign: row.body.length === 0 && row.sign.length > 0 ? VerticalAlign.BOTTOM : VerticalAlign.TOP,
              margins: cellMargins,
              children: [
                ...(row.body.length > 0 ? row.body : row.sign.length > 0 ? [] : [{ text: '' }]).map(
                  (l) => new Paragraph({ spacing: bodySpacing, children: [run(l.text, SIZE.body, l.bold)] }),
                ),
                ...row.sign.map(
                  (s, i) =>
                    new Paragraph({
                      alignment: AlignmentType.RIGHT,
                      spacing: { ...bodySpacing, before: i === 0 && row.body.length > 0 ? 160 : 0 },
                      indent: { right: twip(SIZE.body * 2) },
                      children: [run(s, SIZE.body)],
                    }),
                ),
              ],
            }),
          ],
        }),
    ),
  ];

  const doc = new Document({
    title: `${layout.title} ${data.caseNumber}`,
    subject: '《容错细则》附件1',
    creator: 'dandang',
    styles: {
      default: {
        document: { run: { font: SONG, size: halfPt(SIZE.body), language: { value: 'zh-CN', eastAsia: 'zh-CN' } } },
      },
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: twip(PAGE.width), height: twip(PAGE.height) },
            margin: { top: twip(PAGE.top), bottom: twip(PAGE.bottom), left: twip(PAGE.left), right: twip(PAGE.right) },
          },
        },
        children: [
          new Paragraph({ children: [run(layout.annex, SIZE.annex)] }),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 120, after: 240 }, children: [run(layout.title, SIZE.title, true)] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { after: 60 }, children: [run(layout.numberLine, SIZE.body)] }),
          new Table({
            layout: TableLayoutType.FIXED,
            width: { size: twip(CONTENT_WIDTH), type: WidthType.DXA },
            columnWidths: COLUMNS.map(twip),
            borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
            rows,
          }),
          new Paragraph({ spacing: { before: 120 }, children: [run(layout.footer, SIZE.footer)] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

// ---------------------------------------------------------------------------------------------
// PDF font: a CJK font on this machine, never downloaded at run time.

export interface PdfFont {
  path: string;
  /** PostScript name of the face inside a .ttc collection. */
  face?: string;
  bold?: { path: string; face?: string };
}

export const PDF_FONT_PACKAGE = 'fonts-noto-cjk';

export class PdfFontMissingError extends Error {
  constructor(detail?: string) {
    super(
      `${detail ? `${detail}\n` : ''}导出 PDF 需要中文字体：请安装 ${PDF_FONT_PACKAGE}（apt-get install -y ${PDF_FONT_PACKAGE}），` +
        '或用设置 PDF_FONT_PATH 指定一个含中文字形的 .ttf/.otf/.ttc 字体文件。\n' +
        `PDF export needs a CJK font: install the Debian package ${PDF_FONT_PACKAGE} (apt-get install -y ${PDF_FONT_PACKAGE}) ` +
        'or set PDF_FONT_PATH to a .ttf/.otf/.ttc font file with Chinese glyphs.',
    );
    this.name = 'PdfFontMissingError';
  }
}

/** Song/Ming faces first, as the paper form is set in 宋体; then common Hei faces. */
const FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc',
  '/usr/share/fonts/truetype/arphic/uming.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  '/System/Library/Fonts/Supplemental/Songti.ttc',
  '/Library/Fonts/Arial Unicode.ttf',
  'C:\\Windows\\Fonts\\simsun.ttc',
];

/** Characters every face must have: the form's own words. */
const PROBE = '临港开发区容错免责审批表纪（工）委意见盖章年月日';

const isCollection = (f: fontkit.Font | fontkit.FontCollection): f is fontkit.FontCollection => 'fonts' in f;

/** Opens a font file and picks the simplified-Chinese face of a collection; undefined if it has no CJK glyphs. */
function openFace(path: string, face?: string): { font: fontkit.Font; face?: string } | undefined {
  let opened: fontkit.Font | fontkit.FontCollection;
  try {
    opened = fontkit.openSync(path);
  } catch {
    return undefined;
  }
  const faces = isCollection(opened) ? opened.fonts : [opened];
  const covers = (f: fontkit.Font) => Array.from(PROBE).every((ch) => f.hasGlyphForCodePoint(ch.codePointAt(0)!));
  const wanted = face
    ? faces.filter((f) => f.postscriptName === face)
    : [...faces.filter((f) => /(sc|SC|CN|GB|Hans)(-|$)/.test(f.postscriptName)), ...faces];
  const font = wanted.find(covers);
  return font && { font, face: isCollection(opened) ? font.postscriptName : undefined };
}

function fcMatch(): { path: string; face?: string } | undefined {
  try {
    const out = execFileSync('fc-match', ['-f', '%{file}|%{postscriptname}', ':lang=zh-cn'], { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] });
    const [path, face] = out.trim().split('|');
    return path ? { path, face: face || undefined } : undefined;
  } catch {
    return undefined;
  }
}

function describe(path: string, face: string | undefined): PdfFont {
  const boldPath = path.replace(/Regular/, 'Bold');
  const boldFace = face?.replace(/Regular/, 'Bold');
  const bold = boldPath !== path && existsSync(boldPath) ? openFace(boldPath, boldFace) : undefined;
  return { path, face, bold: bold && { path: boldPath, face: bold.face } };
}

const resolved = new Map<string, PdfFont>();

/**
 * The font the PDF is set in: PDF_FONT_PATH when set (a .ttc may name its face as path#PostScriptName),
 * else the first CJK font found among the usual system paths or by fontconfig. Throws
 * PdfFontMissingError, naming the setting and the apt package, when there is none.
 */
export function resolvePdfFont(env: NodeJS.ProcessEnv = process.env): PdfFont {
  const setting = env.PDF_FONT_PATH?.trim() ?? '';
  const cached = resolved.get(setting);
  if (cached) return cached;
  let font: PdfFont | undefined;
  if (setting) {
    const [path, face] = setting.split('#');
    if (!existsSync(path)) throw new PdfFontMissingError(`PDF_FONT_PATH=${setting}：文件不存在 (file not found)。`);
    const opened = openFace(path, face || undefined);
    if (!opened) throw new PdfFontMissingError(`PDF_FONT_PATH=${setting}：不是含中文字形的字体 (not a font with Chinese glyphs)。`);
    font = describe(path, opened.face);
  } else {
    for (const path of FONT_CANDIDATES) {
      const opened = existsSync(path) ? openFace(path) : undefined;
      if (opened) {
        font = describe(path, opened.face);
        break;
      }
    }
    if (!font) {
      const match = fcMatch();
      const opened = match && existsSync(match.path) ? (openFace(match.path, match.face) ?? openFace(match.path)) : undefined;
      if (match && opened) font = describe(match.path, opened.face);
    }
    if (!font) throw new PdfFontMissingError('未找到中文字体 (no CJK font found)。');
  }
  resolved.set(setting, font);
  return font;
}

// ---------------------------------------------------------------------------------------------
// PDF

/** Characters that may not begin a line (避头): they hang at the end of the previous one. */
const NO_LINE_START = new Set(Array.from('，。、；：？！）】》」』”’…—,.;:?!)]%'));

interface Measure {
  width(text: string): number;
}

/** Breaks text into lines of at most `width`, anywhere between CJK characters but not inside Latin words or numbers. */
export function wrapText(text: string, width: number, m: Measure): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    for (const ch of Array.from(paragraph)) {
      const w = m.width(ch);
      if (lineWidth + w <= width || line === '') {
        line += ch;
        lineWidth += w;
        continue;
      }
      if (NO_LINE_START.has(ch)) {
        out.push(line + ch);
        line = '';
        lineWidth = 0;
        continue;
      }
      const word = /[A-Za-z0-9\-_./]+$/.exec(line)?.[0] ?? '';
      if (/[A-Za-z0-9\-_./]/.test(ch) && word && word.length < line.length) {
        out.push(line.slice(0, line.length - word.length));
        line = word + ch;
        lineWidth = m.width(line);
      } else {
        out.push(line);
        line = ch;
        lineWidth = w;
      }
    }
    out.push(line);
  }
  return out;
}

const LINE_HEIGHT = 1.55;
const PAD = { x: 6, y: 6 };

/** Renders 附件1 as PDF with a CJK system font (see resolvePdfFont); same layout as the .docx. */
export async function approvalFormPdf(data: ApprovalFormData, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const font = resolvePdfFont(env);
  const layout = formLayout(data);
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    info: { Title: `${layout.title} ${data.caseNumber}`, Subject: '《容错细则》附件1', Creator: 'dandang', Producer: 'dandang' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc.registerFont('song', font.path, font.face);
  doc.registerFont('song-bold', font.bold?.path ?? font.path, font.bold ? font.bold.face : font.face);
  const use = (size: number, bold = false) => doc.font(bold ? 'song-bold' : 'song').fontSize(size);
  const measure = (size: number, bold = false): Measure => ({ width: (t) => use(size, bold).widthOfString(t) });

  const face = openFace(font.path, font.face)?.font;
  const missing = new Set(Array.from(JSON.stringify(layout)).filter((ch) => ch.trim() !== '' && !face?.hasGlyphForCodePoint(ch.codePointAt(0)!)));
  if (missing.size > 0) throw new PdfFontMissingError(`字体 ${font.path} 缺少这些字符 (font lacks glyphs for)：${[...missing].join('')}`);

  /** Draws one line so that its em box is centred in a line box of `lineHeight` starting at `top`. */
  const draw = (text: string, x: number, top: number, size: number, bold = false) => {
    const lh = size * LINE_HEIGHT;
    const baseline = top + (lh - size) / 2 + size * 0.88;
    use(size, bold).text(text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
  };
  const textWidth = (text: string, size: number, bold = false) => measure(size, bold).width(text);

  const bottomLimit = PAGE.height - PAGE.bottom;
  let y = PAGE.top;
  draw(layout.annex, PAGE.left, y, SIZE.annex);
  y += SIZE.annex * LINE_HEIGHT + 4;
  draw(layout.title, PAGE.left + (CONTENT_WIDTH - textWidth(layout.title, SIZE.title, true)) / 2, y, SIZE.title, true);
  y += SIZE.title * LINE_HEIGHT + 8;
  draw(layout.numberLine, PAGE.left + CONTENT_WIDTH - textWidth(layout.numberLine, SIZE.body), y, SIZE.body);
  y += SIZE.body * LINE_HEIGHT + 2;

  doc.lineWidth(0.75).strokeColor('#000000');
  const box = (x: number, top: number, w: number, h: number) => doc.rect(x, top, w, h).stroke();
  const centred = (labelLines: string[], x: number, w: number, top: number, h: number, size: number) => {
    const wrapped = labelLines.flatMap((l) => wrapText(l, w - 2 * PAD.x, measure(size)));
    const lh = size * LINE_HEIGHT;
    let ly = top + (h - wrapped.length * lh) / 2;
    for (const l of wrapped) {
      draw(l, x + (w - textWidth(l, size)) / 2, ly, size);
      ly += lh;
    }
  };

  // 申请人 | … | 申请时间 | …
  const firstHeight = 32;
  let x = PAGE.left;
  const firstCells = [['申请人'], [layout.applicant], ['申请时间'], [layout.appliedOn]];
  for (const [i, cell] of firstCells.entries()) {
    box(x, y, COLUMNS[i], firstHeight);
    centred(cell, x, COLUMNS[i], y, firstHeight, SIZE.label);
    x += COLUMNS[i];
  }
  y += firstHeight;

  const bodyX = PAGE.left + COLUMNS[0];
  const bodyWidth = CONTENT_WIDTH - COLUMNS[0];
  const lh = SIZE.body * LINE_HEIGHT;
  const signGap = 8;
  for (const row of layout.rows) {
    const body = row.body.flatMap((l) => wrapText(l.text, bodyWidth - 2 * PAD.x, measure(SIZE.body, l.bold)).map((text) => ({ text, bold: l.bold ?? false })));
    const sign = row.sign.flatMap((s) => wrapText(s, bodyWidth - 2 * PAD.x - SIZE.body * 2, measure(SIZE.body)));
    const needed = 2 * PAD.y + body.length * lh + (sign.length > 0 ? (body.length > 0 ? signGap : 0) + sign.length * lh : 0);
    const height = Math.max(row.minHeight, needed);
    const pageHeight = bottomLimit - PAGE.top;
    if (y + height > bottomLimit && height <= pageHeight) {
      doc.addPage({ size: 'A4', margin: 0 });
      y = PAGE.top;
    }
    if (y + height <= bottomLimit) {
      box(PAGE.left, y, COLUMNS[0], height);
      box(bodyX, y, bodyWidth, height);
      centred(row.label, PAGE.left, COLUMNS[0], y, height, SIZE.label);
      body.forEach((l, i) => draw(l.text, bodyX + PAD.x, y + PAD.y + i * lh, SIZE.body, l.bold));
      const signTop = y + height - PAD.y - sign.length * lh;
      sign.forEach((s, i) => draw(s, bodyX + bodyWidth - PAD.x - SIZE.body * 2 - textWidth(s, SIZE.body), signTop + i * lh, SIZE.body));
      y += height;
      continue;
    }
    // Longer than a page: flow the lines over as many pages as it takes, repeating the label.
    const flow = [...body.map((l) => ({ ...l, right: false })), ...sign.map((text) => ({ text, bold: false, right: true }))];
    let first = true;
    while (flow.length > 0) {
      let fits = Math.floor((bottomLimit - y - 2 * PAD.y) / lh);
      if (fits < 3) {
        doc.addPage({ size: 'A4', margin: 0 });
        y = PAGE.top;
        fits = Math.floor((bottomLimit - y - 2 * PAD.y) / lh);
      }
      const part = flow.splice(0, fits);
      const h = flow.length > 0 ? bottomLimit - y : 2 * PAD.y + part.length * lh;
      box(PAGE.left, y, COLUMNS[0], h);
      box(bodyX, y, bodyWidth, h);
      centred(first ? row.label : [...row.label, '（续）'], PAGE.left, COLUMNS[0], y, h, SIZE.label);
      part.forEach((l, i) => {
        const lx = l.right ? bodyX + bodyWidth - PAD.x - SIZE.body * 2 - textWidth(l.text, SIZE.body) : bodyX + PAD.x;
        draw(l.text, lx, y + PAD.y + i * lh, SIZE.body, l.bold);
      });
      y += h;
      first = false;
    }
  }
  if (y + SIZE.footer * LINE_HEIGHT + 6 > bottomLimit) {
    doc.addPage({ size: 'A4', margin: 0 });
    y = PAGE.top;
  }
  draw(layout.footer, PAGE.left, y + 6, SIZE.footer);
  doc.end();
  return done;
}
