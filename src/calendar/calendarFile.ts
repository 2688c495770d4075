import { basename, join } from 'node:path';
import { parseFullDate } from '../conversation/parse/dates';
import { readSheetFile, SheetImportError, type SheetProblem, type SheetRow, type SheetSection, type SheetSpec } from '../imports/sheetFile';
import type { DayKind } from '../scheduling/workdays';
import { datesBetween, LONGEST_HOLIDAY, type SourcedDay } from './arrangement';
import { CALENDAR_NOUN } from './workingCalendar';

/**
 * A year's arrangement as a file (`npm run calendar:import FILE`): one `days` sheet (or YAML list),
 * one row per holiday's days off, given as 日期 and, for a run of days, 结束日期, and one row per
 * make-up working day. Several years may share a file; each year in it replaces that year whole.
 */
/** A fictional 2027, laid out as the State Council's notices are: for trying the import, and for tests. */
export const SAMPLE_CALENDAR_PATH = join(__dirname, 'sampleCalendar.yaml');

export const CALENDAR_COLUMNS = { year: '年度', name: '节日', kind: '类型', date: '日期', until: '结束日期' } as const;

export type CalendarRow = SheetRow<typeof CALENDAR_COLUMNS>;

const CALENDAR_FILE: SheetSpec<{ days: SheetSection<typeof CALENDAR_COLUMNS> }> = {
  noun: CALENDAR_NOUN,
  sections: { days: { aliases: ['days', '节假日', '安排'], columns: CALENDAR_COLUMNS, required: ['year', 'name', 'kind', 'date'] } },
};

const KINDS: Record<string, DayKind> = { 放假: 'holiday', 休息: 'holiday', 上班: 'workday', 调休上班: 'workday', 补班: 'workday' };
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;

export interface CalendarFile {
  /** The file's name, for the load's record. */
  source: string;
  arrangements: { year: number; days: SourcedDay[] }[];
}

/** Reads and checks the rows on their own; what the database holds is checked when loading. */
export function planCalendar(rows: CalendarRow[], source: string): CalendarFile {
  const problems: SheetProblem[] = [];
  const years = new Map<number, SourcedDay[]>();
  for (const row of rows) {
    const problem = (reason: string) => problems.push({ row: row.row, reason });
    const before = problems.length;
    const year = /^\d{4}$/.test(row.year) ? Number(row.year) : undefined;
    if (row.year === '') problem(`“${CALENDAR_COLUMNS.year}”不能为空`);
    else if (year === undefined || year < FIRST_YEAR || year > LAST_YEAR) problem(`${CALENDAR_COLUMNS.year}“${row.year}”应是 ${FIRST_YEAR}–${LAST_YEAR} 之间的年份，如 2027`);
    if (row.name === '') problem(`“${CALENDAR_COLUMNS.name}”不能为空`);
    const kind = KINDS[row.kind];
    if (row.kind === '') problem(`“${CALENDAR_COLUMNS.kind}”不能为空`);
    else if (!kind) problem(`${CALENDAR_COLUMNS.kind}“${row.kind}”应为“放假”或“上班”`);
    const from = parseFullDate(row.date);
    const to = row.until === '' ? from : parseFullDate(row.until);
    if (row.date === '') problem(`“${CALENDAR_COLUMNS.date}”不能为空`);
    else if (!from) problem(`${CALENDAR_COLUMNS.date}“${row.date}”不是有效日期（应写作 YYYY-MM-DD，如 2027-02-05）`);
    if (row.until !== '' && !to) problem(`${CALENDAR_COLUMNS.until}“${row.until}”不是有效日期（应写作 YYYY-MM-DD，如 2027-02-13）`);
    if (row.until !== '' && kind === 'workday') problem(`调休上班日每行一天，不填“${CALENDAR_COLUMNS.until}”`);
    if (from && to && to < from) problem(`${CALENDAR_COLUMNS.until} ${to} 早于${CALENDAR_COLUMNS.date} ${from}`);
    const dates = from && to && to >= from ? datesBetween(from, to) : [];
    if (dates.length > LONGEST_HOLIDAY) problem(`${from} 至 ${to} 共 ${dates.length} 天，超过 ${LONGEST_HOLIDAY} 天，请核对日期`);
    if (problems.length > before) continue;
    const days = years.get(year!) ?? [];
    days.push(...dates.map((date) => ({ date, kind, name: row.name, row: row.row })));
    years.set(year!, days);
  }
  if (rows.length === 0) problems.push({ row: 'days', reason: '没有任何日期' });
  if (problems.length > 0) throw new SheetImportError(problems, CALENDAR_NOUN);
  return { source, arrangements: [...years].map(([year, days]) => ({ year, days })) };
}

export async function readCalendarFile(path: string): Promise<CalendarFile> {
  return planCalendar((await readSheetFile(path, CALENDAR_FILE)).days, basename(path));
}
