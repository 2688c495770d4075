import { addDays } from '../../scheduling/workdays';
import { PERIOD_MONTHS, type PartialYearMode, type TalkPeriod } from './settings';

/** A window in which `required` talks are owed, and how many were held in it. */
export interface Slot {
  from: string;
  to: string;
  required: number;
  held: number;
}

const DAY_MS = 24 * 3600 * 1000;

function daysIn(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
}

/** `months` calendar months after `date`, on the same day or the month's last when it is shorter. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(d, last))).toISOString().slice(0, 10);
}

/** The periods of a calendar year: one year, two halves, four quarters or twelve months. */
export function calendarWindows(year: number, period: TalkPeriod): { from: string; to: string }[] {
  return anchoredWindows(`${year}-01-01`, `${year}-12-31`, period);
}

/** Back-to-back periods from `start` until `end`: an adjusted cadre's quarters from the adjustment date. */
export function anchoredWindows(start: string, end: string, period: TalkPeriod): { from: string; to: string }[] {
  const windows: { from: string; to: string }[] = [];
  for (let i = 0; ; i += 1) {
    const from = addMonths(start, i * PERIOD_MONTHS[period]);
    if (from > end) return windows;
    const next = addDays(addMonths(start, (i + 1) * PERIOD_MONTHS[period]), -1);
    windows.push({ from, to: next < end ? next : end });
  }
}

/**
 * Talks owed in a window of which the pair was on the roster together for `present` of its days:
 * `full` owes the whole count for any presence, `exclude` only for the whole window, and
 * `prorate` the count scaled by the share of the window (so once a year: owed after half a year).
 */
export function requiredTalks(times: number, window: { from: string; to: string }, present: { from: string; to: string }, mode: PartialYearMode): number {
  const from = present.from > window.from ? present.from : window.from;
  const to = present.to < window.to ? present.to : window.to;
  if (from > to) return 0;
  const share = daysIn(from, to) / daysIn(window.from, window.to);
  if (share >= 1 || mode === 'full') return times;
  if (mode === 'exclude') return 0;
  return Math.round(times * share);
}

export function countBetween(sortedDates: readonly string[] | undefined, from: string, to: string): number {
  return (sortedDates ?? []).filter((d) => d >= from && d <= to).length;
}

export type Status = 'owed' | 'done' | 'upcoming';

/**
 * Where a pair stands as of a date, judged by the latest period that has begun: an earlier
 * period missed cannot be made up, so it does not keep the pair owed.
 */
export function statusOf(slots: readonly Slot[], asOf: string): Status {
  const current = slots.filter((s) => s.from <= asOf).at(-1);
  if (!current) return 'upcoming';
  return current.held >= current.required ? 'done' : 'owed';
}
