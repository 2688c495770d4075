import { zoneDate } from '../clock';
import { addDays, isWorkingDay } from '../scheduling/workdays';

/** The office hours of a working day in the zone, "09:00"–"17:30" (WORKING_DAY_HOURS). */
export interface OfficeHours {
  start: string;
  end: string;
}

export const DEFAULT_OFFICE_HOURS: OfficeHours = { start: '09:00', end: '17:30' };

const HOUR_MS = 3_600_000;
/** The longest stretch walked through: well past any wait a case sees. */
const MAX_DAYS = 800;

const at = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`).getTime();

/** A working day's office hours, in milliseconds. */
export function officeDayMs(hours: OfficeHours): number {
  return at('2026-01-05', hours.end) - at('2026-01-05', hours.start);
}

/**
 * Working time from `from` to `to`: the part of it within office hours on working days of the
 * zone's calendar (holidays off, 调休 weekend days on), in milliseconds.
 */
export function workingMsBetween(from: Date, to: Date, hours: OfficeHours): number {
  let total = 0;
  for (let date = zoneDate(from), n = 0; date <= zoneDate(to) && n < MAX_DAYS; date = addDays(date, 1), n++) {
    if (!isWorkingDay(date)) continue;
    const start = Math.max(at(date, hours.start), from.getTime());
    const end = Math.min(at(date, hours.end), to.getTime());
    if (end > start) total += end - start;
  }
  return total;
}

/** The moment `ms` of working time after `from` have passed. */
export function afterWorkingMs(from: Date, ms: number, hours: OfficeHours): Date {
  let left = ms;
  for (let date = zoneDate(from), n = 0; n < MAX_DAYS; date = addDays(date, 1), n++) {
    if (!isWorkingDay(date)) continue;
    const start = Math.max(at(date, hours.start), from.getTime());
    const end = at(date, hours.end);
    if (end <= start) continue;
    if (end - start >= left) return new Date(start + left);
    left -= end - start;
  }
  throw new Error(`no working time within ${MAX_DAYS} days of ${from.toISOString()}`);
}

/** A wait in working time as people say it: "3 小时", "不到 1 小时", "2 个工作日". */
export function waitText(ms: number, hours: OfficeHours): string {
  const day = officeDayMs(hours);
  if (ms >= day) return `${Math.floor(ms / day)} 个工作日`;
  if (ms < HOUR_MS) return '不到 1 小时';
  return `${Math.floor(ms / HOUR_MS)} 小时`;
}
