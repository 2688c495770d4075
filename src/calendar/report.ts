import type { YearReport } from './workingCalendar';

const BEFORE: Record<YearReport['before'], string> = {
  loaded: '此前载入的安排',
  package: 'chinese-days 软件包的安排',
  weekdays: '仅按周一至周五计算',
};

/** What a load did, a line per year, for the command's output and the chat's receipt. */
export function formatCalendarReport(reports: YearReport[]): string {
  return reports
    .map((r) =>
      r.changed
        ? `${r.year} 年：已载入放假 ${r.holidays} 天、调休上班 ${r.workdays} 天，代替${BEFORE[r.before]}。`
        : `${r.year} 年：与已载入的安排相同，未改动。`,
    )
    .join('\n');
}
