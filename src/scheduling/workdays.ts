import { getDayDetail, getHolidaysInRange, isWorkday } from 'chinese-days';

/**
 * The zone's working-day calendar: weekends, the State Council's public holidays and their 调休
 * make-up working days. Each year's arrangement comes from the chinese-days package, unless the
 * zone has loaded that year itself (src/calendar/: a file, or 党群工作部 in chat), which then
 * replaces the package's year whole. Dates are zone calendar dates, YYYY-MM-DD.
 *
 * Lookups stay synchronous, as the scheduler's `next()` and every reminder and deadline call them:
 * the loaded years are held in memory, installed at start and again whenever the database's
 * calendar version moves (src/calendar/workingCalendar.ts). One process serves one zone.
 */

const DAY_MS = 24 * 3600 * 1000;

const toUtc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export type DayKind = 'holiday' | 'workday';

/** A day a year's arrangement names: a day off (放假) or a make-up working day (调休上班). */
export interface ArrangedDay {
  date: string;
  kind: DayKind;
  /** The holiday it belongs to: 元旦, 春节 … */
  name: string;
}

/** The years the zone loaded, as installed in this process; a new object at each install. */
export interface LoadedCalendar {
  years: ReadonlySet<number>;
  days: ReadonlyMap<string, ArrangedDay>;
}

let loaded: LoadedCalendar = { years: new Set(), days: new Map() };

/** Replaces the loaded years this process computes with. */
export function installCalendar(calendar: LoadedCalendar): void {
  loaded = calendar;
}

export function installedCalendar(): LoadedCalendar {
  return loaded;
}

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Monday = 1 … Sunday = 7, as Chinese weeks count. */
export function weekday(date: string): number {
  return new Date(toUtc(date)).getUTCDay() || 7;
}

const ORDINARY = new Set(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);

/** The package's word on a date, when it names the date (a holiday or a make-up day). */
export function packageDay(date: string): ArrangedDay | undefined {
  const detail = getDayDetail(date);
  if (ORDINARY.has(detail.name)) return undefined;
  // "Spring Festival,春节,4": English name, Chinese name, length of the holiday.
  return { date, kind: detail.work ? 'workday' : 'holiday', name: detail.name.split(',')[1] ?? detail.name };
}

const packageYears = new Map<number, boolean>();

/** Whether the chinese-days package carries the State Council's arrangement for the year. */
export function packageHasYear(year: number): boolean {
  if (!packageYears.has(year)) packageYears.set(year, getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0);
  return packageYears.get(year)!;
}

/** The year whose arrangement decides a date: late-December days of 元旦 belong to the next one. */
function arrangementYear(date: string): number {
  const year = Number(date.slice(0, 4));
  return date.slice(5, 7) === '12' && packageDay(date)?.name === '元旦' ? year + 1 : year;
}

/** Where a year's arrangement comes from; `weekdays` when nobody has it, so Monday–Friday is assumed. */
export function calendarSource(year: number): 'loaded' | 'package' | 'weekdays' {
  if (loaded.years.has(year)) return 'loaded';
  return packageHasYear(year) ? 'package' : 'weekdays';
}

export function isWorkingDay(date: string): boolean {
  const named = loaded.days.get(date);
  if (named) return named.kind === 'workday';
  if (loaded.years.has(arrangementYear(date))) return weekday(date) <= 5;
  return isWorkday(date);
}

/** The working day `n` working days after `date` (n = 0: `date` itself if it is one, else the next). */
export function addWorkingDays(date: string, n: number): string {
  let day = date;
  while (!isWorkingDay(day)) day = addDays(day, 1);
  for (let left = n; left > 0; ) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left -= 1;
  }
  return day;
}

/** Working days after `from` up to and including `to`: how many working days have passed since `from`. */
export function workingDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count += 1;
  return count;
}

/** The first working day on or after `date`. */
export function firstWorkingDayFrom(date: string): string {
  return addWorkingDays(date, 0);
}

/** The week's first working day (Monday, or later after a holiday, or a 调休 weekend day): weekly notices go out then. */
export function isFirstWorkingDayOfWeek(date: string): boolean {
  return isWorkingDay(date) && firstWorkingDayFrom(addDays(date, 1 - weekday(date))) === date;
}
