/**
 * Dates as people type them in chat, read in the zone's calendar (Asia/Shanghai) relative to
 * `today`: 2026-03-05, 2026/3/5, 2026年3月5日, 3月5日, 3-5, 今天, 昨天, 前天, 上周五, 周五, 本周一,
 * 明天, 后天, 下周一, 今年3月5日, 明年1月1日, 下个月5日.
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

/**
 * Which way a date without its year (3月5日) or week (周五) is read: a record of what happened
 * looks back (the most recent 3月5日), a plan looks ahead (the next one).
 */
export type DateDirection = 'past' | 'future';

const RELATIVE_DAYS: Record<string, number> = { 今天: 0, 今日: 0, 昨天: -1, 昨日: -1, 前天: -2, 大前天: -3, 明天: 1, 明日: 1, 后天: 2, 大后天: 3 };
const YEAR_WORDS: Record<string, number> = { 去年: -1, 今年: 0, 明年: 1 };
const WEEKS_AWAY: Record<string, number> = { 上上: -2, 上: -1, 本: 0, 这: 0, 下: 1, 下下: 2 };

export function parseDate(raw: string, today: CalendarDate, direction: DateDirection = 'past'): CalendarDate | undefined {
  const s = raw.trim().replace(/\s+/g, '').replace(/[号]$/, '日');
  if (s in RELATIVE_DAYS) return shift(today, RELATIVE_DAYS[s]);

  const full = FULL_DATE.exec(s);
  if (full) return valid(Number(full[1]), Number(full[2]), Number(full[3]));

  const inYear = /^(去年|今年|明年)(\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (inYear) return valid(today.year + YEAR_WORDS[inYear[1]], Number(inYear[2]), Number(inYear[3]));

  const inMonth = /^(上个?月|本月|这个月|下个?月)(\d{1,2})日$/.exec(s);
  if (inMonth) {
    const months = inMonth[1].startsWith('上') ? -1 : inMonth[1].startsWith('下') ? 1 : 0;
    const first = new Date(Date.UTC(today.year, today.month - 1 + months, 1));
    return valid(first.getUTCFullYear(), first.getUTCMonth() + 1, Number(inMonth[2]));
  }

  const monthDay = /^(\d{1,2})[-/.月](\d{1,2})日?$/.exec(s);
  if (monthDay) {
    // Without a year: the most recent such date for a record, the next one for a plan.
    const [month, day] = [Number(monthDay[1]), Number(monthDay[2])];
    const step = direction === 'past' ? -1 : 1;
    const thisYear = valid(today.year, month, day);
    if (!thisYear) return valid(today.year + step, month, day);
    const wrongSide = direction === 'past' ? formatDate(thisYear) > formatDate(today) : formatDate(thisYear) < formatDate(today);
    return wrongSide ? valid(today.year + step, month, day) : thisYear;
  }

  const week = /^(上上|上|本|这|下下|下)?个?(?:周|星期|礼拜)([一二三四五六日天])$/.exec(s);
  if (week) {
    const target = WEEKDAYS[week[2]];
    const mondayThisWeek = shift(today, 1 - weekday(today));
    const date = shift(mondayThisWeek, target - 1 + 7 * (week[1] ? WEEKS_AWAY[week[1]] : 0));
    if (week[1]) return date;
    // A bare 周五 said on a Tuesday means last Friday in a record and this Friday in a plan.
    if (direction === 'past') return formatDate(date) > formatDate(today) ? shift(date, -7) : date;
    return formatDate(date) < formatDate(today) ? shift(date, 7) : date;
  }
  return undefined;
}

/** A date with its year, as typed in a sheet (2027-02-05, 2027/2/5, 2027年2月5日); not 2月5日 or 昨天. */
export function parseFullDate(text: string): string | undefined {
  const full = FULL_DATE.exec(text.trim());
  const date = full && valid(Number(full[1]), Number(full[2]), Number(full[3]));
  return date ? formatDate(date) : undefined;
}
