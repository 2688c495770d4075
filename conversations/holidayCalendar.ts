import { dialogue, step } from '../src/conversation/dialogue';
import { arrangementYear, holidayNotice } from '../src/conversation/fields/calendar';
import { formatCalendarReport } from '../src/calendar/report';
import { UserFacingError } from '../src/errors';
import { SheetImportError } from '../src/imports/sheetFile';
import { onlyFor } from '../src/conversation/shared';
import type { Services } from '../src/services';

/**
 * 设置节假日: 党群工作部 loads a year's holidays and 调休 make-up working days by pasting the
 * State Council's notice. From then on that year's reminders, 催办 and deadlines count its working
 * days, instead of the chinese-days package's (which has no year before its update) or of plain
 * weekdays. A file does the same: npm run calendar:import.
 */
export const holidayCalendar = dialogue<Services>()({
  name: 'holidayCalendar',
  version: 1,
  title: '节假日安排',
  triggers: ['设置节假日', '设置工作日'],
  refuse: onlyFor('partyAffairsAdmin', '节假日安排由党群工作部载入。您可以发送“查看工作日”查看今年的安排。'),
  intro:
    '好的，载入一年的节假日和调休安排（国务院办公厅每年发布的部分节假日安排通知）。' +
    '载入后，这一年的谈心谈话提醒、审批催办和各项期限都按它计算工作日。',

  steps: [
    step('year', '年度', arrangementYear('载入哪一年的安排？')),
    step(
      'days',
      '放假和调休上班',
      holidayNotice(
        '请粘贴通知中的安排，每个节日一行，例如：\n' +
          '一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n' +
          '二、春节：2月5日（周五）至13日（周六）放假调休，共9天。1月31日（周日）、2月20日（周六）上班。',
      ),
    ),
  ],

  async submit(values, { person, channel, services }) {
    const year = values.year;
    const answer = values.days;
    if (answer.year !== year) throw new UserFacingError(`年度已改为 ${year} 年，请回复“修改2”重新粘贴这一年的安排。`);
    const reports = await services.calendar.load([answer], { actor: person, channel, source: '聊天' }).catch((error: unknown) => {
      throw error instanceof SheetImportError ? new UserFacingError(error.message) : error;
    });
    return {
      recordRef: `${year}年节假日安排`,
      receipt: [{ kind: 'text', text: `${formatCalendarReport(reports)}\n\n${await services.calendar.describe(year)}` }],
    };
  },
});
