/**
 * Dates as people type them in chat, read in the zone's calendar (Asia/Shanghai) relative to
 * `today`: 2026-03-05, 2026/3/5, 2026年3月5日, 3月5日, 3-5, 今天, 昨天, 前天, 上周五, 周五, 本周一.
 */
const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function formatDate({ year, month, day }: CalendarDate): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function parseIsoDate(iso: string): CalendarDate {
  const [year, month, day] = iso.split('-').map(Number);
  return { year, month, day };
}

function valid(year: number, month: number, day: number): CalendarDate | undefined {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day ? { year, month, day } : undefined;
}

function shift(today: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Monday = 1 … Sunday = 7, as Chinese weeks count. */
function weekday(date: CalendarDate): number {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return d === 0 ? 7 : d;
}

const FULL_DATE = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;

export function parseDate(raw: string, today: CalendarDate): CalendarDate | undefined {
  const s = raw.trim().replace(/\s+/g, '').replace(/[号]$/, '日');
  const relative: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 昨日: -1, 前天: -2, 大前天: -3 };
  if (s in relative) return shift(today, relative[s]);

  const full = FULL_DATE.exec(s);
  if (full) return valid(Number(full[1]), Number(full[2]), Number(full[3]));

  const monthDay = /^(\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (monthDay) {
    // A month and day without a year mean the most recent such date: chat records look back.
    const thisYear = valid(today.year, Number(monthDay[1]), Number(monthDay[2]));
    if (!thisYear) return valid(today.year - 1, Number(monthDay[1]), Number(monthDay[2]));
    return formatDate(thisYear) > formatDate(today) ? valid(today.year - 1, thisYear.month, thisYear.day) : thisYear;
  }

  const week = /^(上上|上|本|这)?(?:周|星期|礼拜)([一二三四五六日天])$/.exec(s);
  if (week) {
    const target = WEEKDAYS[week[2]];
    const mondayThisWeek = shift(today, 1 - weekday(today));
    const weeksBack = week[1] === '上上' ? 2 : week[1] === '上' ? 1 : 0;
    const date = shift(mondayThisWeek, target - 1 - 7 * weeksBack);
    // A bare 周五 said on a Tuesday means last Friday.
    return !week[1] && formatDate(date) > formatDate(today) ? shift(date, -7) : date;
  }
  return undefined;
}

/** A date with its year, as typed in a sheet (2027-02-05, 2027/2/5, 2027年2月5日); not 2月5日 or 昨天. */
export function parseFullDate(text: string): string | undefined {
  const full = FULL_DATE.exec(text.trim());
  const date = full && valid(Number(full[1]), Number(full[2]), Number(full[3]));
  return date ? formatDate(date) : undefined;
}
