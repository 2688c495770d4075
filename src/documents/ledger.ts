import { loadExcel } from '../rareModules';
import { xlsxBuffer } from './safeText';
import type { DataSource } from 'typeorm';
import { zoneDate } from '../clock';
import { filingWorkflow } from '../domain/filing/definition';
import { toleranceWorkflow } from '../domain/tolerance/definition';
import { EXEMPTIONS, item, SITUATIONS } from '../domain/tolerance/policy';
import { conclusionText, outcomeLine, statusWord } from '../domain/workflow/describe';
import type { ReplyRecord } from '../domain/workflow/record';
import type { CaseKind, CaseRecord, CaseStatus, StageRecord, WorkflowDefinition } from '../domain/workflow/types';
import type { Unit } from '../roster/types';
import { select } from '../storage/sql';
import { buildFormData, situationText, type ApprovalFormData } from './approvalForm';
import { buildFilingFormData, evaluationText, filingInForce, resultText, type FilingFormData } from './filingForm';
import { formSource, unitPath, type FormSource, type RevocationData } from './formData';
import { clearanceSheet, exemptionSheet } from './ledgerPeople';
import { boxed, excelDate, FONT, listRow, listSheet, short, ymd } from './sheet';

/**
 * 台账: every 容错免责 request in one sheet, one row per case; every 改革创新风险备案 in a second
 * sheet; the cadres given 容错 for the 组织人事部门 (《容错细则》第十一条) and the 澄清正名 (第九条)
 * on sheets of their own; and the statistics the city asks for (by outcome, by 第五条 situation,
 * by unit, filings by status) on the last. The numbers on the sheet are the numbers
 * ledgerStatistics and filingStatistics return: both are computed from the same rows.
 */

export interface LedgerFilter {
  /** Only cases of this unit and the units below it. */
  unitId?: number;
  /** YYYY-MM-DD, inclusive, on the date the request was filed (Asia/Shanghai). */
  from?: string;
  to?: string;
  /** Index into SITUATIONS: 0 = 第五条（一） … 9 = （十）. Filings have no situation: it does not narrow them. */
  situation?: number;
  status?: CaseStatus;
  /** Only these cases (what a console list shows, with its own filters): narrows like the others. */
  caseIds?: number[];
  /** Says what chose `caseIds`, for the sheet's 统计范围 line. */
  selection?: string;
}

/** When the workbook is made: 是否在备案期内 is answered for this instant's zone date. */
export interface LedgerOptions {
  asOf?: Date;
}

export const CASE_STATUSES: CaseStatus[] = ['in_review', 'returned', 'blocked', 'withdrawn', 'granted', 'rejected', 'revoked'];

export class LedgerFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerFilterError';
  }
}

export interface LedgerStatistics {
  total: number;
  byStatus: Record<CaseStatus, number>;
  /** bySituation[i]: requests citing 第五条 item i (a request may cite several). */
  bySituation: number[];
  /** By 一级单位 (the unit directly under the zone that the case's unit belongs to). */
  byUnit: { unitId: number; code: string; name: string; count: number }[];
  /** byExemption[i]: granted (or later revoked) cases given item i of 《容错细则》第七条. */
  byExemption: number[];
  integrated: number;
  /** Cases with a 报备市纪委监委 date. */
  reported: number;
}

/** 改革创新风险备案 by status, as of a date. */
export interface FilingStatistics {
  total: number;
  byStatus: Record<CaseStatus, number>;
  /** Agreed filings whose 实施期限 includes the date asked about. */
  inForce: number;
  /** Filings with a 报备市纪委监委 date. */
  reported: number;
  resultReported: number;
  evaluated: number;
}

export const LEDGER_COLUMNS = [
  '编号',
  '申请人',
  '单位',
  '职务或性质',
  '申请时间',
  '问责事项',
  '容错情形',
  '是否八个一体化',
  '办理路径',
  '当前状态',
  '各环节意见摘要',
  '认定结果（《容错细则》第七条）',
  '批复或答复',
  '报备市纪委监委日期',
  '撤销情况（《容错细则》第十条）',
] as const;

export const FILING_LEDGER_COLUMNS = [
  '编号',
  '备案单位',
  '经办人',
  '备案时间',
  '备案事项',
  '实施期限',
  '是否在备案期内',
  '办理路径',
  '当前状态',
  '回复或答复',
  '报备市纪委监委日期',
  '结果报告',
  '绩效评价',
] as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function checkDate(name: string, value: string | undefined): void {
  if (value === undefined) return;
  const m = DATE.exec(value);
  const valid = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toISOString().slice(0, 10) === value;
  if (!valid) throw new LedgerFilterError(`${name} 日期格式应为 YYYY-MM-DD (expected YYYY-MM-DD): ${value}`);
}

/** Throws LedgerFilterError for a filter that cannot mean anything. */
export function checkLedgerFilter(filter: LedgerFilter): void {
  checkDate('from', filter.from);
  checkDate('to', filter.to);
  if (filter.from && filter.to && filter.from > filter.to) throw new LedgerFilterError(`起始日期晚于截止日期 (from is after to): ${filter.from} > ${filter.to}`);
  if (filter.situation !== undefined && !(Number.isInteger(filter.situation) && filter.situation >= 0 && filter.situation < SITUATIONS.length)) {
    throw new LedgerFilterError(`容错情形应为《容错细则》第五条（一）至（十） (situation out of range): ${filter.situation}`);
  }
  if (filter.status !== undefined && !CASE_STATUSES.includes(filter.status)) {
    throw new LedgerFilterError(`未知的状态 (unknown status): ${String(filter.status)}；可选 ${CASE_STATUSES.join(', ')}`);
  }
}

/** The first instant of a zone calendar date, as the ISO string cases.created_at is compared with. */
const zoneDayStart = (ymd: string, plusDays = 0): string => new Date(Date.parse(`${ymd}T00:00:00+08:00`) + plusDays * 86_400_000).toISOString();

/** A unit and every unit below it, by id: the 台账's and the console's unit filter. */
export function descendants(units: Unit[], rootId: number): Set<number> {
  const found = new Set([rootId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const u of units) {
      if (u.parentId !== null && found.has(u.parentId) && !found.has(u.id)) {
        found.add(u.id);
        grew = true;
      }
    }
  }
  return found;
}

/** The unit directly under the zone that `unitId` belongs to (itself if it is one, or the zone). */
function topUnit(units: Map<number, Unit>, unitId: number): Unit | undefined {
  let u = units.get(unitId);
  for (let hops = 0; u && u.parentId !== null && hops <= units.size; hops++) {
    const parent = units.get(u.parentId);
    if (!parent || parent.parentId === null) return u;
    u = parent;
  }
  return u;
}

interface Loaded {
  cases: ApprovalFormData[];
  units: Map<number, Unit>;
}

/** The records of one kind the filter selects (dates, status, unit with its sub-units), oldest first. */
async function selectCases(db: DataSource, source: FormSource, kind: CaseKind, filter: LedgerFilter): Promise<{ c: CaseRecord; stages: StageRecord[] }[]> {
  const { cases: repo, units } = source;
  if (filter.unitId !== undefined && !units.has(filter.unitId)) throw new LedgerFilterError(`没有这个单位 (no such unit): ${filter.unitId}`);

  const where = ['kind = ?'];
  const params: unknown[] = [kind];
  if (filter.from) {
    where.push('created_at >= ?');
    params.push(zoneDayStart(filter.from));
  }
  if (filter.to) {
    where.push('created_at < ?');
    params.push(zoneDayStart(filter.to, 1));
  }
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.caseIds) {
    where.push(filter.caseIds.length === 0 ? '1 = 0' : `id IN (${filter.caseIds.map(() => '?').join(', ')})`);
    params.push(...filter.caseIds);
  }
  const ids = await select<{ id: number }>(db, `SELECT id FROM cases WHERE ${where.join(' AND ')} ORDER BY created_at, id`, params);
  const inUnit = filter.unitId === undefined ? undefined : descendants([...units.values()], filter.unitId);
  const selected: { c: CaseRecord; stages: StageRecord[] }[] = [];
  for (const { id } of ids) {
    const c = (await repo.get(Number(id)))!;
    if (inUnit && !inUnit.has(c.unitId)) continue;
    selected.push({ c, stages: await repo.stages(c.id) });
  }
  return selected;
}

async function load(db: DataSource, filter: LedgerFilter, source?: FormSource): Promise<Loaded> {
  checkLedgerFilter(filter);
  const from = source ?? (await formSource(db));
  const cases: ApprovalFormData[] = [];
  for (const { c, stages } of await selectCases(db, from, 'tolerance', filter)) {
    const data = await buildFormData(c, stages, from);
    if (filter.situation !== undefined && !data.situations.includes(filter.situation)) continue;
    cases.push(data);
  }
  return { cases, units: from.units };
}

async function loadFilings(db: DataSource, filter: LedgerFilter, source?: FormSource): Promise<FilingFormData[]> {
  checkLedgerFilter(filter);
  const from = source ?? (await formSource(db));
  const filings: FilingFormData[] = [];
  for (const { c, stages } of await selectCases(db, from, 'filing', filter)) filings.push(await buildFilingFormData(c, stages, from));
  return filings;
}

function statisticsOf({ cases, units }: Loaded): LedgerStatistics {
  const byStatus = Object.fromEntries(CASE_STATUSES.map((s) => [s, 0])) as Record<CaseStatus, number>;
  const bySituation = SITUATIONS.map(() => 0);
  const byExemption = EXEMPTIONS.map(() => 0);
  const byUnit = new Map<number, LedgerStatistics['byUnit'][number]>();
  for (const c of cases) {
    byStatus[c.status] += 1;
    for (const i of new Set(c.situations)) bySituation[i] += 1;
    for (const i of new Set(c.granted)) if (i < byExemption.length) byExemption[i] += 1;
    const top = topUnit(units, c.unitId);
    const key = top?.id ?? c.unitId;
    const entry = byUnit.get(key) ?? { unitId: key, code: top?.code ?? '', name: top?.name ?? c.unitName, count: 0 };
    entry.count += 1;
    byUnit.set(key, entry);
  }
  return {
    total: cases.length,
    byStatus,
    bySituation,
    byUnit: [...byUnit.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    byExemption,
    integrated: cases.filter((c) => c.integrated).length,
    reported: cases.filter((c) => c.reportedOn).length,
  };
}

/** The cases the filter selects, each as the approval form sees it. */
export async function ledgerCases(db: DataSource, filter: LedgerFilter = {}): Promise<ApprovalFormData[]> {
  return (await load(db, filter)).cases;
}

export async function ledgerStatistics(db: DataSource, filter: LedgerFilter = {}): Promise<LedgerStatistics> {
  return statisticsOf(await load(db, filter));
}

/** The 改革创新风险备案 the filter selects (its 容错情形 does not apply), each as 附件2 sees it. */
export async function ledgerFilings(db: DataSource, filter: LedgerFilter = {}): Promise<FilingFormData[]> {
  return loadFilings(db, filter);
}

function filingStatisticsOf(filings: FilingFormData[], today: string): FilingStatistics {
  const byStatus = Object.fromEntries(CASE_STATUSES.map((s) => [s, 0])) as Record<CaseStatus, number>;
  for (const f of filings) byStatus[f.status] += 1;
  return {
    total: filings.length,
    byStatus,
    inForce: filings.filter((f) => filingInForce(f, today)).length,
    reported: filings.filter((f) => f.reportedOn).length,
    resultReported: filings.filter((f) => f.resultReport).length,
    evaluated: filings.filter((f) => f.evaluation).length,
  };
}

/** Filings by status; inForce counts those in force on the zone date of `asOf` (default: now). */
export async function filingStatistics(db: DataSource, filter: LedgerFilter = {}, options: LedgerOptions = {}): Promise<FilingStatistics> {
  return filingStatisticsOf(await loadFilings(db, filter), zoneDate(options.asOf ?? new Date()));
}

// ---------------------------------------------------------------------------------------------
// The workbook

/** Every decided stage, one line each: 纪（工）委意见：梁红（2026-11-27）不予容错免责。…. */
function opinionSummary(d: Pick<ApprovalFormData, 'history'>): string {
  return d.history.map((h) => `${h.title}：${h.signer}（${ymd(h.at)}）${short(h.text)}`).join('\n');
}

/** What the case came to: the final 第七条 outcomes, or 不予; a revocation is noted. */
function outcomeText(d: ApprovalFormData): string {
  if (!d.conclusion) return '';
  const verdict = conclusionText(toleranceWorkflow, { ...d.conclusion, outcomes: [] });
  const given = d.granted.map((i) => outcomeLine(toleranceWorkflow, i)).join('\n');
  return [verdict, given, d.status === 'revoked' ? '（已撤销）' : ''].filter(Boolean).join('\n');
}

/** 批复 PF2026-0003（2026-11-27）, or the 市纪委监委's answer with its number. */
export function replyCell(reply: ReplyRecord | null): string {
  if (!reply) return '';
  return reply.issuer === 'city' ? `市纪委监委答复 ${reply.number}（${reply.issuedOn}）` : `${reply.title} ${reply.number}（${reply.issuedOn}）`;
}

function revocationCell(r: RevocationData | null): string {
  if (!r) return '';
  const handled = r.handling ? `\n严肃处理：${r.handling.result}（${r.handling.decidedOn}${r.handling.documentNumber ? `，${r.handling.documentNumber}` : ''}）` : '\n严肃处理：尚未登记';
  return `${ymd(r.at)} ${r.by}依据《容错细则》${r.reason}撤销：${r.description}${handled}`;
}

const statusName = (def: WorkflowDefinition) => (s: CaseStatus) => statusWord(def, s);

export function describeFilter(filter: LedgerFilter, units?: Map<number, Unit>, kind: CaseKind = 'tolerance'): string {
  const filing = kind === 'filing';
  const parts = [
    filter.from || filter.to ? `${filing ? '备案日期' : '申请日期'} ${filter.from ?? '…'} 至 ${filter.to ?? '…'}` : '全部日期',
    filter.unitId !== undefined ? `单位：${units ? unitPath(units, filter.unitId) : filter.unitId}（含下属单位）` : '',
    filter.situation !== undefined && !filing ? `容错情形：《容错细则》第五条${item(filter.situation)}` : '',
    filter.status ? `状态：${statusName(filing ? filingWorkflow : toleranceWorkflow)(filter.status)}` : '',
    filter.selection ?? '',
  ];
  return parts.filter(Boolean).join('；');
}

function filingResultCell(f: FilingFormData, today: string): string {
  if (f.resultReport) return `${ymd(f.resultReport.at)} ${resultText(f.resultReport)}`;
  return f.status === 'granted' && f.periodEnd < today ? '实施期已结束，尚未报告' : '';
}

/**
 * The 台账 workbook: sheet 台账 (one row per 容错免责 case), sheet 改革创新风险备案 (one row per
 * filing, 是否在备案期内 as of options.asOf, default now) and sheet 统计.
 */
export async function ledgerXlsx(db: DataSource, filter: LedgerFilter = {}, options: LedgerOptions = {}): Promise<Buffer> {
  checkLedgerFilter(filter);
  const source = await formSource(db);
  const loaded = await load(db, filter, source);
  const filings = await loadFilings(db, filter, source);
  const today = zoneDate(options.asOf ?? new Date());
  const stats = statisticsOf(loaded);
  const filingStats = filingStatisticsOf(filings, today);
  const scope = describeFilter(filter, loaded.units);

  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'dandang';
  wb.title = '临港开发区容错免责和改革创新风险备案台账';

  const sheet = listSheet(wb, '台账', `临港开发区容错免责申请台账（${scope}）`, LEDGER_COLUMNS, [14, 10, 22, 20, 12, 30, 44, 10, 14, 14, 60, 40, 24, 14, 40]);
  for (const d of loaded.cases) {
    listRow(
      sheet,
      [
        d.caseNumber,
        d.applicantName,
        d.unitName,
        `${d.post}（${d.nature}）`,
        excelDate(d.appliedAt),
        d.matter,
        d.situations.map((i) => situationText(i, d.otherSituation)).join('\n'),
        d.integrated ? '是' : '否',
        d.pathTitle,
        d.statusLabel,
        opinionSummary(d),
        outcomeText(d),
        replyCell(d.reply),
        d.reportedOn ? excelDate(d.reportedOn) : '',
        revocationCell(d.revocation),
      ],
      [1, 2, 5, 8, 9, 10, 14],
      [5, 14],
    );
  }

  const filingScope = describeFilter(filter, loaded.units, 'filing');
  const filingSheet = listSheet(
    wb,
    '改革创新风险备案',
    `临港开发区改革创新风险备案台账（${filingScope}；是否在备案期内截至${today}）`,
    FILING_LEDGER_COLUMNS,
    [14, 22, 10, 12, 30, 24, 10, 14, 12, 24, 14, 50, 30],
  );
  for (const f of filings) {
    listRow(
      filingSheet,
      [
        f.caseNumber,
        f.unitName,
        f.filerName,
        excelDate(f.filedAt),
        f.title,
        `${f.periodStart} 至 ${f.periodEnd}`,
        filingInForce(f, today) ? '是' : '否',
        f.pathTitle,
        f.statusLabel,
        replyCell(f.reply),
        f.reportedOn ? excelDate(f.reportedOn) : '',
        filingResultCell(f, today),
        f.evaluation ? evaluationText(f.evaluation) : '',
      ],
      [1, 3, 4, 6, 7, 8, 9, 11],
      [4, 11],
    );
  }

  exemptionSheet(wb, loaded.cases);
  await clearanceSheet(wb, await selectCases(db, source, 'clearance', filter), source);

  const st = wb.addWorksheet('统计', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  st.columns = [{ width: 70 }, { width: 12 }];
  const line = (label: string, value?: number | string, bold = false) => {
    const row = st.addRow(value === undefined ? [label] : [label, value]);
    row.getCell(1).font = { ...FONT, bold };
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    if (value !== undefined) {
      row.getCell(2).font = { ...FONT, bold };
      row.getCell(2).alignment = { horizontal: 'center', vertical: 'top' };
      row.getCell(1).border = boxed;
      row.getCell(2).border = boxed;
    }
    return row;
  };
  const titleRow = line('临港开发区容错免责工作统计', undefined, true);
  titleRow.getCell(1).font = { ...FONT, size: 14, bold: true };
  line(`统计范围：${scope}`);
  line('');
  line('一、按办理结果（当前状态）', '件数', true);
  for (const s of CASE_STATUSES) line(statusWord(toleranceWorkflow, s), stats.byStatus[s]);
  line('合计', stats.total, true);
  line('其中：属“八个一体化”事项', stats.integrated);
  line('其中：已报备市纪委监委', stats.reported);
  line('');
  line('二、按《容错细则》第五条容错情形（一件申请可涉及多项情形）', '件数', true);
  SITUATIONS.forEach((_, i) => line(situationText(i), stats.bySituation[i]));
  line('');
  line('三、按单位（一级单位，含下属单位）', '件数', true);
  for (const u of stats.byUnit) line(u.name, u.count);
  line('合计', stats.total, true);
  line('');
  line('四、按《容错细则》第七条容错免责处理（予以容错免责的，含其后撤销的）', '件数', true);
  EXEMPTIONS.forEach((_, i) => line(outcomeLine(toleranceWorkflow, i), stats.byExemption[i]));
  line('');
  line('五、改革创新风险备案（按当前状态）', '件数', true);
  if (filter.situation !== undefined) line(`统计范围：${filingScope}（容错情形不适用于备案）`);
  for (const s of CASE_STATUSES) if (s !== 'revoked' || filingStats.byStatus[s] > 0) line(statusWord(filingWorkflow, s), filingStats.byStatus[s]);
  line('合计', filingStats.total, true);
  line(`其中：在备案期内（截至${today}）`, filingStats.inForce);
  line('其中：已报备市纪委监委', filingStats.reported);
  line('其中：已报告实施结果', filingStats.resultReported);
  line('其中：已进行绩效评价', filingStats.evaluated);

  return xlsxBuffer(wb);
}
