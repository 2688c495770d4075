import { readCalendarFile, SAMPLE_CALENDAR_PATH } from '../../src/calendar/calendarFile';
import type { WorkingCalendar } from '../../src/calendar/workingCalendar';

/** The sample 2027 (src/calendar/sampleCalendar.yaml) written as the State Council's notice is, to paste in chat. */
export const NOTICE_2027 = [
  '一、元旦：1月1日（周五）至3日（周日）放假，共3天。',
  '二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。1月31日（周日）、2月20日（周六）上班。',
  '三、清明节：4月3日（周六）至5日（周一）放假，共3天。',
  '四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。5月8日（周六）上班。',
  '五、端午节：6月9日（周三）放假，共1天。',
  '六、中秋节：9月15日（周三）放假，共1天。',
  '七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。',
].join('\n');

/** Loads the sample 2027 as an operator's `npm run calendar:import` would. */
export async function loadSampleCalendar(calendar: WorkingCalendar): Promise<void> {
  await calendar.load((await readCalendarFile(SAMPLE_CALENDAR_PATH)).arrangements, { actor: null, channel: 'import', source: 'sampleCalendar.yaml' });
}
