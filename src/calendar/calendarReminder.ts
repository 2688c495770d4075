import { zoneDate } from '../clock';
import type { Notifier } from '../domain/notifier';
import { partyAffairsAdminIds } from '../roster/partyAffairsAdmins';
import { nextMorning } from '../scheduling/recurrence';
import type { JobHandler } from '../scheduling/scheduler';
import { firstWorkingDayFrom, isFirstWorkingDayOfWeek } from '../scheduling/workdays';
import type { WorkingCalendar } from './workingCalendar';

export const CALENDAR_REMINDER = 'calendar-reminder';

export function calendarReminderText(year: number): string {
  return [
    `【节假日安排待载入】chinese-days 软件包和本系统都还没有 ${year} 年的节假日和调休安排。`,
    `载入前，${year} 年的谈心谈话提醒和审批催办只能按周一至周五计算：春节等假期照常提醒，调休上班的周末不提醒。`,
    `国务院办公厅发布通知后，请发送“设置节假日 ${year}”并粘贴通知中的安排，或由系统管理员运行 npm run calendar:import 导入文件。载入后不再提醒。`,
  ].join('\n');
}

/**
 * Once a week, on the week's first working day, 党群工作部 is told while a year the reminders
 * will reach has no arrangement (WorkingCalendar.missingYear), from the first working day on or
 * after CALENDAR_WARN_FROM. The chain also stops on each
 * CALENDAR_WARN_FROM date, a day that says nothing unless there is something to say, so that a
 * next occurrence always exists within the year.
 */
export function calendarReminderJob(deps: { calendar: WorkingCalendar; notifier: Notifier }): JobHandler {
  // The first notice on the first working day from CALENDAR_WARN_FROM, then each week's first working day.
  const due = (date: string) =>
    deps.calendar.missingYear(date) !== undefined &&
    (isFirstWorkingDayOfWeek(date) || firstWorkingDayFrom(`${date.slice(0, 4)}-${deps.calendar.warnFrom}`) === date);
  return {
    kind: CALENDAR_REMINDER,
    next: (after) => nextMorning(after, (date) => due(date) || date.slice(5) === deps.calendar.warnFrom),
    async run(job, tx) {
      const date = zoneDate(job.runAt);
      const year = deps.calendar.missingYear(date);
      if (year === undefined || !due(date)) return;
      for (const adminId of await partyAffairsAdminIds(tx)) await deps.notifier.notify(tx, adminId, { kind: 'text', text: calendarReminderText(year) });
    },
  };
}
