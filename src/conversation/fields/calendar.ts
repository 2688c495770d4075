import { arrangementProblems, describeArrangement, type SourcedDay } from '../../calendar/arrangement';
import { parseNotice } from '../../calendar/noticeText';
import { fail, ok, type Field } from '../field';

/** A year's arrangement as answered in chat: the days, with the year they were read for. */
export interface NoticeAnswer {
  year: number;
  days: SourcedDay[];
}

const YEAR_BUTTONS = ['今年', '明年'] as const;

/** This year or next: the years a holiday arrangement is loaded for in chat (今年, 明年, 2027). */
export function arrangementYear(prompt: string): Field<number> {
  return {
    prompt,
    buttons: YEAR_BUTTONS,
    hint: '请点选或回复年份，例如：2027、明年。',
    parse(input, ctx) {
      const said = input.kind === 'option' ? (YEAR_BUTTONS[input.index] ?? '') : input.kind === 'text' ? input.text.trim() : '';
      const text = said.replace(/年$/, '');
      const year = text === '今' ? ctx.today.year : text === '明' ? ctx.today.year + 1 : /^\d{4}$/.test(text) ? Number(text) : undefined;
      if (year === undefined) return fail(`没能识别“${said}”这个年份。`);
      if (year !== ctx.today.year && year !== ctx.today.year + 1) {
        return fail(`在聊天中只能载入今年（${ctx.today.year}）或明年（${ctx.today.year + 1}）的安排；其他年份请由系统管理员用 npm run calendar:import 导入文件。`);
      }
      return ok(year);
    },
    format: (year) => `${year} 年`,
  };
}

/**
 * The State Council's notice pasted as text, read for the year answered before (src/calendar/
 * noticeText.ts); every problem of every line is said at once.
 */
export function holidayNotice(prompt: string): Field<NoticeAnswer> {
  return {
    prompt,
    hint: '每个节日一行：节日名称、放假的起止日期，再写调休上班的日期，例如：春节：2月5日至13日放假调休，共9天。1月31日、2月20日上班。',
    parse(input, ctx) {
      if (input.kind !== 'text') return fail('请把通知中的安排以文字粘贴过来。');
      const year = ctx.values.year as number;
      const { days, problems } = parseNotice(input.text, year);
      const all = problems.length > 0 ? problems : arrangementProblems(year, days);
      if (all.length > 0) return fail(`安排中有 ${all.length} 处问题：\n${all.map((p) => `${p.row}：${p.reason}`).join('\n')}`);
      return ok({ year, days });
    },
    format: (value) => describeArrangement(value.year, value.days).join('\n'),
  };
}
