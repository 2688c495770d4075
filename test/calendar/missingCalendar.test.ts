import { afterEach, describe, expect, it } from 'vitest';
import { packageHasYear, addDays } from '../../src/scheduling/workdays';
import { databaseBackends, stateBackends } from '../support/backends';
import { NOTICE_2027 } from '../support/calendar';
import { openChat, type Chat } from '../support/chat';
import { bodyOf } from '../support/http';

type Health = { status: string; warnings?: Record<string, string>; failing?: Record<string, string> };

const NOTICE = '【节假日安排待载入】';

/**
 * chinese-days 1.5 carries years up to 2026. From 1 November (CALENDAR_WARN_FROM) a zone without
 * next year's arrangement is told so: 党群工作部 once a week, and whoever watches /healthz.
 */
describe.each(databaseBackends)('a year without a holiday calendar, on $name', (backend) => {
  let chat: Chat;
  afterEach(async () => chat?.close());

  const health = async () => {
    const res = await fetch(`${chat.url}/healthz`);
    return { code: res.status, body: await bodyOf<Health>(res) };
  };
  /** Each morning from `from` to `to` as the bot's worker would run it; the dates 党群工作部 was told on. */
  const mornings = async (from: string, to: string) => {
    const told: string[] = [];
    for (let date = from; date <= to; date = addDays(date, 1)) {
      const before = notices('P005').length;
      chat.clock.set(new Date(`${date}T01:30:00Z`));
      while ((await chat.bot.scheduler.runDue()) > 0);
      await chat.bot.outbox.dispatchDue();
      if (notices('P005').length > before) told.push(date);
    }
    return told;
  };
  const notices = (code: string) => chat.as(code).transcript().filter((m) => m.text?.startsWith(NOTICE));

  it('warns on /healthz from 1 November, still answering 200, and 党群工作部 is told each week on its first working day', async () => {
    expect(packageHasYear(2027), 'chinese-days now has 2027: move this test to the first year it lacks').toBe(false);
    chat = await openChat(backend, stateBackends[0]);

    chat.clock.set(new Date('2026-10-31T15:59:00Z')); // 23:59 on 31 October in the zone
    expect(await health()).toEqual({ code: 200, body: { status: 'ok' } });
    chat.clock.set(new Date('2026-10-31T16:00:00Z')); // midnight, 1 November
    const { code, body } = await health();
    expect(code).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.warnings?.calendar).toMatch(/^no holiday arrangement for 2027 .*npm run calendar:import or 设置节假日 2027 in chat$/);

    // Sunday 1 November says nothing; Mondays do (16 November is the first working day of its week too).
    expect(await mornings('2026-10-26', '2026-11-17')).toEqual(['2026-11-02', '2026-11-09', '2026-11-16']);
    const [first] = notices('P005');
    expect(first.text).toContain('chinese-days 软件包和本系统都还没有 2027 年的节假日和调休安排');
    expect(first.text).toContain('请发送“设置节假日 2027”');
    // Both 党群工作部 members, once each week; nobody else.
    expect(notices('P006')).toHaveLength(3);
    expect(notices('P012')).toHaveLength(0);
  });

  it('stops telling and warning once 党群工作部 has loaded the year in chat', async () => {
    chat = await openChat(backend, stateBackends[0]);
    expect(await mornings('2026-11-01', '2026-11-03')).toEqual(['2026-11-02']);

    const wang = chat.as('P005');
    await wang.says('设置节假日 2027');
    await wang.says(NOTICE_2027);
    expect((await wang.taps('提交')).text).toContain('2027 年：已载入放假 29 天、调休上班 5 天');

    expect(await health()).toEqual({ code: 200, body: { status: 'ok' } });
    expect(await mornings('2026-11-04', '2026-12-31')).toEqual([]);
  });

  it('warns of this year too when even it has no arrangement (a zone that never loaded 2027), all year', async () => {
    chat = await openChat(backend, stateBackends[0]);
    chat.clock.set(new Date('2027-03-10T02:00:00Z'));
    expect((await health()).body.warnings?.calendar).toMatch(/^no holiday arrangement for 2027 /);
    // 15 March is a Monday, and 2027 is still unknown.
    expect(await mornings('2027-03-11', '2027-03-16')).toEqual(['2027-03-15']);
  });

  it('CALENDAR_WARN_FROM moves the start: the first notice on the first working day from then, then weekly', async () => {
    chat = await openChat(backend, stateBackends[0], { CALENDAR_WARN_FROM: '12-01' });
    chat.clock.set(new Date('2026-11-20T02:00:00Z'));
    expect((await health()).body.warnings).toBeUndefined();
    expect(await mornings('2026-11-27', '2026-12-08')).toEqual(['2026-12-01', '2026-12-07']);
  });
});
