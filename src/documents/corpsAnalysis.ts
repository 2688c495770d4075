import { loadExcel } from '../rareModules';
import type { DataSource } from 'typeorm';
import { zoneDate } from '../clock';
import { adjustmentCases, adjustmentState, type AdjustmentCase } from '../domain/adjustment/adjustmentView';
import { adjustmentForm, AUTHORITY_WORDS, carveOutOf } from '../domain/adjustment/definition';
import { causeLabel, INFLUENCE } from '../domain/adjustment/policy';
import type { CaseRepository } from '../domain/workflow/caseRepository';
import { handlingOf, TriggerRecords, type TriggerRecord } from '../domain/adjustment/triggerRecords';
import { levelOf, shareText } from '../domain/assessment/grades';
import { monthsText, promotionYears } from '../domain/assessment/incentives';
import { listTitle, type IncentiveList, type IncentiveLists } from '../domain/assessment/incentiveLists';
import { loadLedger } from '../domain/assessment/ledger';
import { ZoneView } from '../domain/assessment/zoneView';
import { listRow, listSheet } from './sheet';

/**
 * 干部队伍综合分析 (能上能下办法 第十六条: “定期开展干部队伍综合分析”) for one year, as a workbook
 * for 组织人事部门: the year's 考核 results, the 第八条 triggers found, the adjustments made and
 * the influence periods running, and the 激励办法 lists with whether 党群工作部 has confirmed them.
 */
export interface CorpsAnalysisDeps {
  db: DataSource;
  lists: IncentiveLists;
  cases: CaseRepository;
}

const STATUS: Record<TriggerRecord['status'], string> = { open: '待处理', case_opened: '已立案', dismissed: '不予立案', lapsed: '不再成立' };
/** How the 统计 sheet counts cases: in progress, adjusted, not adjusted, handled under other rules (第五条). */
const TALLY: [string, (a: AdjustmentCase) => boolean][] = [
  ['办理中', (a) => a.c.status === 'in_review' || a.c.status === 'blocked'],
  ['已调整', (a) => a.c.status === 'granted'],
  ['未作调整', (a) => a.c.status === 'rejected' && !carveOutOf(a.c)],
  ['按有关规定办理（《能上能下办法》第五条）', (a) => a.c.status === 'rejected' && carveOutOf(a.c) !== undefined],
];

/** Cases opened in a year, or decided in it, or whose influence period runs into it. */
function ofYear(all: AdjustmentCase[], year: number): AdjustmentCase[] {
  return all.filter(({ c }) => {
    const d = adjustmentForm(c).decision;
    return zoneDate(new Date(c.createdAt)).startsWith(`${year}-`) || d?.effectiveOn.startsWith(`${year}-`) || (d?.influenceUntil && d.influenceUntil >= `${year}-01-01` && d.effectiveOn <= `${year}-12-31`);
  });
}

export const ANALYSIS_SHEETS = ['统计', '年度考核', '能上能下预警', '组织调整', '影响期', '激励名单'] as const;

export async function corpsAnalysisXlsx(deps: CorpsAnalysisDeps, year: number, asOf: Date): Promise<Buffer> {
  const { db } = deps;
  const today = zoneDate(asOf);
  const zone = await ZoneView.load(db);
  const ledger = await loadLedger(db, year - 4, year);
  const people = ledger.people.filter((p) => p.year === year);
  const triggers = await new TriggerRecords(db).ofYear(year);
  const cases = ofYear(await adjustmentCases(deps.cases), year);
  const running = cases.filter(({ c }) => {
    const d = adjustmentForm(c).decision;
    return d?.influenceUntil && d.effectiveOn <= `${year}-12-31` && d.influenceUntil >= `${year}-01-01`;
  });
  const lists: IncentiveList[] = [
    await deps.lists.compute('winning-units', year),
    await deps.lists.compute('priority', year),
    await deps.lists.compute('health-retreat', year + 1),
  ];
  const name = (personId: number | null) => (personId === null ? '' : (zone.people.get(personId)?.name ?? ''));
  const unitOf = (personId: number) => zone.unitName(zone.people.get(personId)?.unitId ?? 0);

  const wb = new (await loadExcel()).Workbook();
  wb.creator = 'dandang';
  wb.title = `临港开发区${year}年度干部队伍综合分析`;

  const stats = wb.addWorksheet('统计', { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  stats.columns = [{ width: 64 }, { width: 12 }];
  const line = (label: string, value?: number, bold = false) => {
    const row = stats.addRow(value === undefined ? [label] : [label, value]);
    row.font = { name: '宋体', size: 10.5, bold };
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  };
  line(`临港开发区${year}年度干部队伍综合分析（《能上能下办法》第十六条）`, undefined, true);
  stats.getRow(1).font = { name: '宋体', size: 14, bold: true };
  line(`制表日期：${today}。激励名单为系统测算，以党群工作部确认为准；预警须经组织认定方可调整。`);
  line('');
  line('一、年度考核等次（人数）', undefined, true);
  for (const level of [1, 2, 3, 4] as const) line(['优秀', '称职/合格', '基本称职/基本合格', '不称职/不合格'][level - 1], people.filter((p) => p.grade && levelOf(p.grade) === level).length);
  line('合计（有年度等次的）', people.filter((p) => p.grade).length, true);
  line('');
  line('二、《能上能下办法》第八条预警（条）', undefined, true);
  for (let i = 1; i <= 9; i++) line(`${causeLabel(8, i)}`, triggers.filter((t) => t.item === i).length);
  line('合计', triggers.length, true);
  line('');
  line('三、组织调整（件）', undefined, true);
  for (const [label, counts] of TALLY) line(label, cases.filter(counts).length);
  line('影响期在本年度内的（《能上能下办法》第十三条）', running.length);
  line('');
  line('四、激励名单（《激励办法》）', undefined, true);
  for (const l of lists) line(`${listTitle(l.kind, l.year)}（${l.confirmed?.digest === l.digest ? '已确认' : '待确认'}）`, l.entries.length);

  const results = listSheet(wb, '年度考核', `${year}年度干部年度考核结果`, ['人员编号', '姓名', '单位', '性质', '年度考核等次', '民主测评不称职得票', '试用期满/聘任期满', '晋级年限条件'], [10, 10, 26, 10, 12, 22, 30, 30]);
  for (const p of people) {
    const person = zone.people.get(p.personId);
    if (!person) continue;
    const terms = [p.probationAgainst && `试用期满不同意转正 ${shareText(p.probationAgainst)}`, p.contractAgainst && `聘任期满不同意续聘 ${shareText(p.contractAgainst)}`, p.soeContract && `国资聘任期满${p.soeContract}`];
    const promotion = zone.isOfficeEnterpriseStaff(person) ? monthsText(promotionYears(ledger.people.filter((r) => r.personId === p.personId)).months) : '';
    listRow(results, [person.code, person.name, zone.unitName(person.unitId), person.nature, p.grade ?? '', p.incompetentShare ? shareText(p.incompetentShare) : '', terms.filter(Boolean).join('；'), promotion], [1, 2, 4, 5], []);
  }

  const warn = listSheet(wb, '能上能下预警', `${year}年度《能上能下办法》第八条预警`, ['条款', '干部', '单位', '数据', '处理（条文）', '状态', '调整案件'], [14, 10, 26, 60, 36, 12, 14]);
  const caseNumber = new Map(cases.map(({ c }) => [c.id, c.number]));
  for (const t of triggers) {
    const person = t.personId === null ? undefined : zone.people.get(t.personId);
    listRow(warn, [causeLabel(8, t.item), name(t.personId), zone.unitName(person?.unitId ?? t.unitId ?? 0), t.facts, handlingOf(t.item, person), STATUS[t.status], t.caseId ? (caseNumber.get(t.caseId) ?? '') : ''], [1, 2, 6, 7], []);
  }

  const adjusted = listSheet(wb, '组织调整', `${year}年度组织调整（《能上能下办法》第十二条）`, ['编号', '干部', '单位', '事由', '环节/状态', '建议', '调整方式', '生效日期', '影响期至'], [14, 10, 26, 50, 20, 16, 14, 12, 12]);
  for (const a of cases) {
    const { c } = a;
    const { article, item, facts, proposal, decision } = adjustmentForm(c);
    listRow(
      adjusted,
      [c.number, name(c.applicantId), unitOf(c.applicantId), `${causeLabel(article, item)} ${facts}`, adjustmentState(a), proposal ? AUTHORITY_WORDS[proposal.authority] : '', decision?.way ?? proposal?.way ?? '', decision?.effectiveOn ?? '', decision?.influenceUntil ?? ''],
      [1, 2, 5, 6, 7, 8, 9],
      [],
    );
  }

  const periods = listSheet(wb, '影响期', `${year}年度在影响期内的干部（《能上能下办法》第十三条）`, ['编号', '干部', '单位', '调整方式', '生效日期', '影响期至', '影响', '截至制表日'], [14, 10, 26, 12, 12, 12, 36, 20]);
  for (const { c } of running) {
    const d = adjustmentForm(c).decision!;
    listRow(periods, [c.number, name(c.applicantId), unitOf(c.applicantId), d.way, d.effectiveOn, d.influenceUntil ?? '', INFLUENCE[d.way]?.effect ?? '', d.influenceUntil! < today ? '已期满（《能上能下办法》第十五条）' : '影响期内'], [1, 2, 4, 5, 6, 8], []);
  }

  const eligible = listSheet(wb, '激励名单', `激励名单（《激励办法》，系统测算，以党群工作部确认为准）`, ['名单', '对象', '单位', '依据', '措施', '确认'], [22, 16, 26, 56, 40, 20]);
  for (const l of lists) {
    const state = l.confirmed?.digest === l.digest ? `${l.confirmed.by} ${l.confirmed.at.slice(0, 10)} 确认` : l.confirmed ? '台账已变动，待重新确认' : '待确认';
    for (const e of l.entries) listRow(eligible, [listTitle(l.kind, l.year), e.name, e.unit, e.reason, e.measure, state], [1, 2, 6], []);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
