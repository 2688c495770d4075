import { zoneDate, type Clock } from '../clock';
import type { Action } from '../conversation/engine';
import { UserFacingError } from '../errors';
import type { Services } from '../services';

/**
 * The working-day calendar in chat: 查看工作日 [2027] for anyone (the State Council's arrangement
 * is public), and 设置节假日 2027, which starts 党群工作部's dialogue with the year filled in.
 */
export function calendarActions(services: Services, clock: Clock): Action[] {
  const thisYear = () => Number(zoneDate(clock.now()).slice(0, 4));
  return [
    {
      pattern: /^(?:查看工作日|工作日安排|查看节假日|节假日安排)\s*(?:(\d{4})\s*年?)?$/,
      async run(_turn, [year]) {
        const asked = year ? Number(year) : thisYear();
        if (asked < 2000 || asked > 2100) throw new UserFacingError('请输入 2000 到 2100 之间的年份，例如：查看工作日 2027。');
        return { say: await services.calendar.describe(asked) };
      },
    },
    {
      pattern: /^(?:设置节假日|设置工作日)\s*(\d{4})\s*年?$/,
      async run(_turn, [year]) {
        const asked = Number(year);
        if (asked !== thisYear() && asked !== thisYear() + 1) {
          throw new UserFacingError(`在聊天中只能载入今年（${thisYear()}）或明年（${thisYear() + 1}）的安排；其他年份请由系统管理员用 npm run calendar:import 导入文件。`);
        }
        return { start: { dialogue: 'holidayCalendar', prefill: { year: asked } } };
      },
    },
  ];
}
