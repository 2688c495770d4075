import { zoneDate } from '../clock';
import { addDays, isWorkingDay } from './workdays';

/** Recurring jobs run at 09:00 in the zone (01:00 UTC): early in the working day, never at night. */
export function morningOf(date: string): Date {
  return new Date(`${date}T01:00:00.000Z`);
}

/** The first morning strictly after `after` whose date qualifies; a year ahead at most. */
export function nextMorning(after: Date, qualifies: (date: string) => boolean): Date {
  let date = zoneDate(after);
  for (let i = 0; i < 400; i += 1, date = addDays(date, 1)) {
    if (morningOf(date) > after && qualifies(date)) return morningOf(date);
  }
  throw new Error(`no qualifying date within a year of ${after.toISOString()}`);
}

/** Every working day's morning: holidays are skipped and 调休 weekend working days included. */
export function nextWorkingMorning(after: Date): Date {
  return nextMorning(after, isWorkingDay);
}
