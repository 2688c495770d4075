import { loadExcel } from '../../rareModules';
import { zoneDate } from '../../clock';
import { CASE_STATUSES } from '../../documents/ledger';
import type { CaseFigures } from './contract';
import type { LoadedCase } from './caseBook';
import type { CaseStatus } from '../../domain/workflow/types';

const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * 概览's case figures over the cases the viewer may see that were filed in the year: by status,
 * open stages by how long they have waited (working days), tasks past their 建议办理期限（本区设置）,
 * cases per month, and what went to the city (报备 of zone decisions, 呈报 of city-level matters).
 */
export function caseFigures(loaded: LoadedCase[], year: number, today: string, statusWords: (s: CaseStatus) => string): CaseFigures {
  const ofYear = loaded.filter((k) => k.item.filedOn.startsWith(`${year}-`));
  const byStage = new Map<string, number[]>();
  for (const k of ofYear) for (const s of k.item.stages) byStage.set(s.title, [...(byStage.get(s.title) ?? []), s.waitedWorkingDays]);
  const perMonth = Array.from({ length: 12 }, (_, i) => ({ month: `${year}-${String(i + 1).padStart(2, '0')}`, tolerance: 0, filing: 0, clearance: 0 }));
  // 组织调整 are not 受理 of an application: the monthly chart counts the three kinds people file.
  for (const k of ofYear) if (k.c.kind !== 'adjustment') perMonth[Number(k.item.filedOn.slice(5, 7)) - 1][k.c.kind] += 1;
  const overdue = ofYear.flatMap((k) =>
    k.item.tasks.filter((t) => t.overdue).map((t) => ({ number: k.item.number, title: t.title, assignee: t.assignee?.name ?? '（待补充名册）', dueOn: t.dueOn!, daysPast: daysBetween(t.dueOn!, today) })),
  );
  const city = ofYear.flatMap((k): CaseFigures['city'] => {
    const reportTask = k.tasks.find((t) => t.kind === 'report-city');
    const base = { number: k.item.number, kindTitle: k.item.kindTitle, applicant: k.item.applicant.name };
    if (k.c.path === 'city') {
      const submitted = k.stages.find((s) => s.stageKey === 'submission' && s.status === 'decided');
      return [{ ...base, way: '呈报', done: submitted?.decidedAt ? zoneDate(new Date(submitted.decidedAt)) : null, dueOn: null }];
    }
    if (!reportTask && !k.c.reportedOn) return [];
    return [{ ...base, way: '报备', done: k.c.reportedOn, dueOn: reportTask?.dueOn ?? null }];
  });
  return {
    year,
    asOf: today,
    total: ofYear.length,
    byStatus: CASE_STATUSES.map((status) => ({ status, label: statusWords(status), count: ofYear.filter((k) => k.c.status === status).length })).filter((s) => s.count > 0),
    byStage: [...byStage.entries()]
      .map(([title, waits]) => ({ title, count: waits.length, longestWait: Math.max(...waits), averageWait: Math.round((10 * waits.reduce((a, b) => a + b, 0)) / waits.length) / 10 }))
      .sort((a, b) => b.longestWait - a.longestWait),
    overdue: overdue.sort((a, b) => b.daysPast - a.daysPast),
    perMonth,
    city,
  };
}

/** The figures as 概览 shows them, one sheet per table. */
export async function caseFiguresWorkbook(f: CaseFigures): Promise<Buffer> {
  const book = new (await loadExcel()).Workbook();
  const sheet = (name: string, title: string, header: string[], rows: (string | number)[][]) => {
    const s = book.addWorksheet(name);
    s.addRow([title]);
    s.addRow(header);
    for (const r of rows) s.addRow(r);
    s.columns.forEach((c) => (c.width = 18));
  };
  const asOf = `${f.year}年，截至 ${f.asOf}`;
  sheet('按状态', `案件按状态（${asOf}）`, ['状态', '件数'], [...f.byStatus.map((s) => [s.label, s.count]), ['合计', f.total]]);
  sheet('按环节', `办理中的环节及已等待工作日（${asOf}）`, ['环节', '件数', '最长等待（工作日）', '平均等待（工作日）'], f.byStage.map((s) => [s.title, s.count, s.longestWait, s.averageWait]));
  sheet('超过建议办理期限', `超过建议办理期限（本区设置）的待办（${asOf}）`, ['编号', '待办', '承办人', '建议办理期限', '已超过（天）'], f.overdue.map((o) => [o.number, o.title, o.assignee, o.dueOn, o.daysPast]));
  sheet('按月', `每月新受理案件（${f.year}年）`, ['月份', '容错免责申请', '改革创新风险备案', '澄清正名'], f.perMonth.map((m) => [m.month, m.tolerance, m.filing, m.clearance]));
  sheet('报备呈报', `报备、呈报市纪委监委（${asOf}）`, ['编号', '类别', '申请人', '方式', '完成日期', '建议办理期限'], f.city.map((c) => [c.number, c.kindTitle, c.applicant, c.way, c.done ?? '尚未完成', c.dueOn ?? '']));
  return Buffer.from(await book.xlsx.writeBuffer());
}
