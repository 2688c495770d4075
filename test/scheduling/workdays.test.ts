import { describe, expect, it } from 'vitest';
import { finalNoticeDate, talkReminderKind } from '../../src/domain/talks/reminderCalendar';
import { nextMorning, nextWorkingMorning } from '../../src/scheduling/recurrence';
import { addDays, addWorkingDays, isWorkingDay, weekday, workingDaysBetween } from '../../src/scheduling/workdays';

/** The make-up working days (调休) on weekends in a range, as the holiday library has them. */
function makeUpWorkingDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) if (weekday(d) >= 6 && isWorkingDay(d)) days.push(d);
  return days;
}

const talkReminderMorning = (after: string) => nextMorning(new Date(after), (d) => talkReminderKind(d) !== undefined).toISOString();

describe('the working-day calendar', () => {
  it('knows 2026’s National Day holiday and the 调休 Saturday after it', () => {
    expect(isWorkingDay('2026-10-01')).toBe(false);
    expect(isWorkingDay('2026-10-07')).toBe(false);
    // Sunday 20 September and Saturday 10 October are worked in exchange for the holiday.
    expect(makeUpWorkingDays('2026-09-15', '2026-10-15')).toEqual(['2026-09-20', '2026-10-10']);
    expect(weekday('2026-10-10')).toBe(6);
    expect(isWorkingDay('2026-10-11')).toBe(false);
  });

  it('counts and adds working days across the holiday', () => {
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkingDays('2026-10-03', 0)).toBe('2026-10-08');
    expect(workingDaysBetween('2026-09-30', '2026-10-10')).toBe(3);
    expect(workingDaysBetween('2026-10-09', '2026-10-12')).toBe(2);
  });

  it('runs daily jobs on working mornings only, the 调休 Saturday included', () => {
    expect(nextWorkingMorning(new Date('2026-09-30T02:00:00Z')).toISOString()).toBe('2026-10-08T01:00:00.000Z');
    expect(nextWorkingMorning(new Date('2026-10-09T02:00:00Z')).toISOString()).toBe('2026-10-10T01:00:00.000Z');
    expect(nextWorkingMorning(new Date('2026-10-10T02:00:00Z')).toISOString()).toBe('2026-10-12T01:00:00.000Z');
  });
});

describe('the 谈心谈话 reminder calendar', () => {
  it('sends the monthly reminder on each month’s first working day, even a 调休 weekend day', () => {
    // 1–3 January 2026 are the New Year holiday; Sunday the 4th is worked in exchange.
    expect(makeUpWorkingDays('2026-01-01', '2026-01-10')).toEqual(['2026-01-04']);
    expect(talkReminderMorning('2025-12-31T12:00:00Z')).toBe('2026-01-04T01:00:00.000Z');
    // October 2023 began with the holiday, and its first weekly reminder fell on a 调休 Saturday.
    expect(talkReminderKind('2023-10-07')).toBe('weekly');
    expect(weekday('2023-10-07')).toBe(6);
    expect(talkReminderKind('2026-09-01')).toBe('monthly');
  });

  it('skips 2026-10-01 and goes weekly in the last quarter, up to a final notice after 15 December', () => {
    expect(talkReminderKind('2026-10-01')).toBeUndefined();
    expect(talkReminderMorning('2026-09-02T12:00:00Z')).toBe('2026-10-08T01:00:00.000Z');
    expect(talkReminderKind('2026-10-08')).toBe('weekly');
    expect(talkReminderKind('2026-10-12')).toBe('weekly');
    expect(talkReminderKind('2026-10-13')).toBeUndefined();
    expect(finalNoticeDate(2026)).toBe('2026-12-16');
    expect(talkReminderKind('2026-12-14')).toBe('weekly');
    expect(talkReminderKind('2026-12-16')).toBe('final');
    expect(talkReminderKind('2026-12-21')).toBeUndefined();
    // Then January's reminder (2027's arrangement comes with the library's update for that year).
    expect(talkReminderMorning('2026-12-16T02:00:00Z')).toMatch(/^2027-01-0\d/);
  });
});
