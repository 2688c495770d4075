import { addDays, packageDay, weekday, type ArrangedDay, type DayKind } from '../scheduling/workdays';

/**
 * A year's holiday arrangement as the State Council publishes it each autumn (国务院办公厅关于
 * 某年部分节假日安排的通知): the days off of each holiday and the weekend days worked in exchange.
 * Every other day is a working day from Monday to Friday. 元旦's days may reach back into the last
 * days of the December before, as in 2012's (2011年12月31日上班).
 */
export interface Arrangement {
  year: number;
  days: ArrangedDay[];
}

/** A day of an arrangement and where it was written: a file's row, a line of a pasted notice. */
export type SourcedDay = ArrangedDay & { row: string };

export const KIND_WORDS: Record<DayKind, string> = { holiday: '放假', workday: '上班' };
export const NAME_LIMIT = 20;
/** The longest holiday there has been is 2020's Spring Festival, extended to ten days; more is a typo. */
export const LONGEST_HOLIDAY = 15;

const WEEKDAY_WORDS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** 2月5日（周五）; with its year when outside the arrangement's own. */
export function dayLabel(date: string, year?: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${year !== undefined && y !== year ? `${y}年` : ''}${m}月${d}日（${WEEKDAY_WORDS[weekday(date)]}）`;
}

/** Every date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
  return dates;
}

/** What is wrong with one day of `year`'s arrangement, or undefined. */
export function dayProblem(year: number, day: ArrangedDay): string | undefined {
  const inYear = day.date.startsWith(`${year}-`) || day.date.startsWith(`${year - 1}-12-`);
  if (!inYear) return `${day.date} 不属于 ${year} 年的安排（只有元旦的放假或调休可以在上一年 12 月）`;
  if (day.name === '') return '缺少节日名称';
  if (day.name.length > NAME_LIMIT) return `节日名称超过 ${NAME_LIMIT} 个字`;
  if (day.kind === 'workday' && weekday(day.date) <= 5) return `${dayLabel(day.date)}本来就是工作日，调休上班只能是周六或周日`;
  return undefined;
}

/**
 * Checks a year's days against each other: each date once, and at least one day off. Problems
 * name the row each day came from; the first row of a repeated date is the one to compare with.
 */
export function arrangementProblems(year: number, days: SourcedDay[]): { row: string; reason: string }[] {
  const problems: { row: string; reason: string }[] = [];
  const seen = new Map<string, SourcedDay>();
  for (const day of days) {
    const reason = dayProblem(year, day);
    if (reason) problems.push({ row: day.row, reason });
    const first = seen.get(day.date);
    if (first) problems.push({ row: day.row, reason: `${day.date} 重复（${first.row}已有：${first.name}${KIND_WORDS[first.kind]}）` });
    else seen.set(day.date, day);
  }
  if (!days.some((d) => d.kind === 'holiday')) problems.push({ row: `${year} 年`, reason: '没有任何放假日' });
  return problems;
}

/** The package's arrangement of a year: the dates of that year it names. */
export function packageArrangement(year: number): ArrangedDay[] {
  return datesBetween(`${year}-01-01`, `${year}-12-31`).flatMap((date) => packageDay(date) ?? []);
}

/** Working days of the calendar year under an arrangement. */
export function workingDaysIn(year: number, days: readonly ArrangedDay[]): number {
  const named = new Map(days.map((d) => [d.date, d.kind]));
  return datesBetween(`${year}-01-01`, `${year}-12-31`).filter((d) => (named.get(d) ?? (weekday(d) <= 5 ? 'workday' : 'holiday')) === 'workday').length;
}

/**
 * The arrangement as the notice puts it, one line per holiday: its days off as runs of dates,
 * then the weekend days worked for it.
 */
export function describeArrangement(year: number, days: readonly ArrangedDay[]): string[] {
  const sorted = [...days].sort((a, b) => a.date.localeCompare(b.date));
  // In the notice's order: by each holiday's first day off (国庆's make-up day may come before 中秋).
  const names = [...new Set([...sorted.filter((d) => d.kind === 'holiday'), ...sorted].map((d) => d.name))];
  return names.map((name) => {
    const off = sorted.filter((d) => d.name === name && d.kind === 'holiday').map((d) => d.date);
    const runs: string[][] = [];
    for (const date of off) {
      const run = runs.at(-1);
      if (run && addDays(run.at(-1)!, 1) === date) run.push(date);
      else runs.push([date]);
    }
    const offText = runs.map((r) => (r.length === 1 ? dayLabel(r[0], year) : `${dayLabel(r[0], year)}至${dayLabel(r.at(-1)!, year)}`)).join('、');
    const worked = sorted.filter((d) => d.name === name && d.kind === 'workday').map((d) => dayLabel(d.date, year));
    return [
      `${name}：`,
      off.length > 0 ? `${offText}放假，共${off.length}天。` : '',
      worked.length > 0 ? `${worked.join('、')}上班。` : '',
    ].join('');
  });
}
