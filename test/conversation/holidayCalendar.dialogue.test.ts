import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isWorkingDay } from '../../src/scheduling/workdays';
import { databaseBackends, stateBackends } from '../support/backends';
import { NOTICE_2027 } from '../support/calendar';
import { openChat, type Chat, type Chatter } from '../support/chat';

describe.each(databaseBackends)('设置节假日 in chat, on $name', (backend) => {
  let chat: Chat;
  let wang: Chatter;
  beforeEach(async () => {
    chat = await openChat(backend, stateBackends[0]);
    wang = chat.as('P005'); // 王芳, 党群工作部
  });
  afterEach(async () => chat.close());

  const stored = async () => ({
    loads: await chat.db.query('SELECT * FROM calendar_loads ORDER BY id'),
    days: await chat.db.query('SELECT * FROM calendar_days ORDER BY id'),
    audit: await chat.db.query(`SELECT * FROM audit_log WHERE action LIKE 'calendar.%' ORDER BY id`),
  });

  it('党群工作部 pastes the State Council’s notice, checks the summary and submits: the year’s working days follow it', async () => {
    const before = await chat.as('P012').says('查看工作日 2027');
    expect(before.text).toContain('chinese-days 软件包和本系统都还没有 2027 年的节假日和调休安排，目前按周一至周五上班计算');

    const year = await wang.says('设置节假日');
    expect(year.text).toContain('载入一年的节假日和调休安排');
    expect(year.cards[0].buttons.map((b) => b.label)).toEqual(['今年', '明年']);
    const paste = await wang.taps('明年');
    expect(paste.text).toContain('请粘贴通知中的安排，每个节日一行');

    const summary = await wang.says(`国务院办公厅关于2027年部分节假日安排的通知\n${NOTICE_2027}\n国务院办公厅\n2026年11月4日`);
    expect(summary.text).toContain('请确认节假日安排');
    expect(summary.text).toContain('1. 年度：2027 年');
    expect(summary.text).toContain('春节：2月5日（周五）至2月13日（周六）放假，共9天。1月31日（周日）、2月20日（周六）上班。');
    expect(await chat.db.query('SELECT * FROM calendar_days')).toEqual([]);

    const receipt = await wang.taps('提交');
    expect(receipt.text).toContain('2027 年：已载入放假 29 天、调休上班 5 天，代替仅按周一至周五计算。');
    expect(receipt.text).toContain('【2027 年工作日安排】来源：本系统载入（2026-11-27 王芳通过模拟器，聊天），代替 chinese-days 软件包');
    expect([isWorkingDay('2027-02-08'), isWorkingDay('2027-02-20')]).toEqual([false, true]);

    const { days, audit } = await stored();
    expect(days).toHaveLength(34);
    expect(audit).toEqual([expect.objectContaining({ action: 'calendar.loaded', subject: 'calendar:2027', channel: 'simulator', actor_id: (await chat.bot.roster.personByCode('P005'))!.id })]);
    // Anyone may look: the State Council's arrangement is public.
    expect((await chat.as('P039').says('查看工作日 2027')).text).toContain('全年共 248 个工作日');
  });

  it('`设置节假日 2027` starts with the year given; garbage is answered with each line’s problem and nothing is stored', async () => {
    const before = await stored();
    expect((await wang.says('设置节假日 2027')).text).toContain('请粘贴通知中的安排');

    const typo = await wang.says('一、元旦：1月1日至3日放假，共4天。\n二、春节：2月5日至13日放假调休。2月8日上班。\n三、清明：4月31日放假。');
    expect(typo.text).toContain('安排中有 2 处问题：\n第1行：写明“共4天”，但 2027-01-01 至 2027-01-03 是 3 天\n第3行：“4月31日”不是有效日期');
    const weekday = await wang.says('春节：2月5日至13日放假调休。2月8日上班。');
    expect(weekday.text).toContain('第1行：2月8日（周一）本来就是工作日，调休上班只能是周六或周日');
    const stuck = await wang.says('好的收到');
    expect(stuck.cards[0].buttons.map((b) => b.label)).toContain('联系管理员');
    expect(await stored()).toEqual(before);
  });

  it('refuses years other than this one and the next, and refuses anyone outside 党群工作部, with the refusal audited', async () => {
    expect((await wang.says('设置节假日 2030')).text).toContain('在聊天中只能载入今年（2026）或明年（2027）的安排');
    await wang.says('设置节假日');
    expect((await wang.says('2025')).text).toContain('只能载入今年（2026）或明年（2027）的安排');
    expect((await wang.says('后年')).text).toContain('没能识别“后年”这个年份');
    await wang.says('取消');

    const liu = chat.as('P012');
    const before = await stored();
    expect((await liu.says('设置节假日 2027')).text).toContain('节假日安排由党群工作部载入');
    expect((await liu.says('设置节假日')).text).toContain('节假日安排由党群工作部载入');
    const refusals = await chat.db.query(`SELECT subject FROM audit_log WHERE action = 'dialogue.refused' AND actor_id = ?`, [(await chat.bot.roster.personByCode('P012'))!.id]);
    expect(refusals).toEqual([{ subject: 'dialogue:holidayCalendar' }, { subject: 'dialogue:holidayCalendar' }]);
    // And in the domain, should the dialogue's check be bypassed.
    const domain = chat.bot.services.calendar.load([{ year: 2027, days: [{ date: '2027-02-05', kind: 'holiday', name: '春节', row: '聊天' }] }], {
      actor: (await chat.bot.roster.personByCode('P012'))!, channel: 'test', source: '聊天',
    });
    await expect(domain).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect((await stored()).days).toEqual(before.days);
    const [{ n }] = await chat.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'calendar.load.refused'`);
    expect(Number(n)).toBe(1);
  });
});
