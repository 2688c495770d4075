import { isWorkday } from 'chinese-days';

/**
 * The zone's working-day calendar: weekends, the State Council's public holidays and their 调休
 * make-up working days, as published each year and carried by the chinese-days package (updated
 * when a new year's arrangement is announced). Dates are zone calendar dates, YYYY-MM-DD.
 */

const DAY_MS = 24 * 3600 * 1000;

const toUtc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** Monday = 1 … Sunday = 7, as Chinese weeks count. */
export function weekday(date: string): number {
  return new Date(toUtc(date)).getUTCDay() || 7;
}

export function isWorkingDay(date: string): boolean {
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
