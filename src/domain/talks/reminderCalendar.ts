import { firstWorkingDayFrom, isFirstWorkingDayOfWeek, isWorkingDay } from '../../scheduling/workdays';

export type ReminderKind = 'monthly' | 'weekly' | 'final';

/** The last reminder of a year: the first working day after 15 December. */
export function finalNoticeDate(year: number): string {
  return firstWorkingDayFrom(`${year}-12-16`);
}

/**
 * Which talk reminder, if any, goes out on `date`: the first working day of each month; in the
 * last quarter the first working day of each week instead (it takes the monthly one's place);
 * and the final notice, after which the year has no more.
 */
export function talkReminderKind(date: string): ReminderKind | undefined {
  if (!isWorkingDay(date)) return undefined;
  const final = finalNoticeDate(Number(date.slice(0, 4)));
  if (date === final) return 'final';
  if (date > final) return undefined;
  if (Number(date.slice(5, 7)) >= 10) return isFirstWorkingDayOfWeek(date) ? 'weekly' : undefined;
  return firstWorkingDayFrom(`${date.slice(0, 7)}-01`) === date ? 'monthly' : undefined;
}
