import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Channel, type Chat, type Chatter } from '../support/chat';
import { applyForTolerance, decide, investigate, recordAnswer, recordMeeting, recordSubmission, sign } from '../support/toleranceDialogue';
import { renderCaseDocument } from '../../src/documents/render';
import { docxPart, paragraphsText } from '../documents/docText';

/**
 * What happens around a case once it is filed, as the people in it see it: 催办 once the zone's
 * setting of working time has passed, with the true wait; a decider reads "已记录" before what their
 * decision brings them; several 【待办】 of one moment arrive as one message; a stage the applicant
 * would have held themself says who has it instead (回避).
 */

const channels: Channel[] = ['simulator', 'wecom'];
const runs = databaseBackends.flatMap((database) => channels.map((channel) => ({ database, channel })));
const HOUR = 3_600_000;
const texts = (who: Chatter) => who.transcript().map((m) => m.text ?? m.card?.title ?? '');

describe.each(runs)('after filing, over $channel ($database.name)', ({ database, channel }) => {
  let chat: Chat;
  let yangFan: Chatter; // 综合科科长, the applicant
  let liuYang: Chatter; // 经济发展局 党组织主要负责人
  let wuHaiyan: Chatter; // 纪工委书记
  let chenJianguo: Chatter; // 党工委书记

  beforeEach(async () => {
    chat = await openChat(database, stateBackends[stateBackends.length - 1], {}, channel);
    [yangFan, liuYang, wuHaiyan, chenJianguo] = ['P014', 'P012', 'P009', 'P001'].map((code) => chat.as(code));
  });
  afterEach(async () => chat.close());

  it('refuses 催办 until 4 working hours have passed (本区设置), saying when, then tells the approver the true wait', async () => {
    // Friday 2026-11-27, about 10:00 in the zone.
    await applyForTolerance(yangFan);
    const number = (await chat.db.query('SELECT number FROM cases'))[0].number;
    const opened = Date.parse((await chat.db.query('SELECT opened_at FROM case_stages'))[0].opened_at);
    const at = (ms: number) => chat.clock.advance(opened + ms - chat.clock.now().getTime());
    const early = await yangFan.taps('催办');
    expect(early.text).toMatch(new RegExp(`^${number} 在“所在单位党组织意见”环节已等待不到 1 小时（工作时间），满 4 个工作小时后可以催办（本区设置），即 2026-11-27 14:0\\d 起。$`));
    at(3 * HOUR);
    expect((await yangFan.says(`催办 ${number}`)).text).toMatch(/已等待 3 小时（工作时间），满 4 个工作小时后可以催办（本区设置），即 2026-11-27 14:0\d 起/);
    expect(texts(liuYang).filter((t) => t.startsWith('【催办】'))).toEqual([]);

    at(4 * HOUR);
    expect((await yangFan.taps('催办')).text).toBe(`已提醒刘洋尽快处理 ${number}（“所在单位党组织意见”环节已等待 4 小时，工作时间）。`);
    expect(texts(liuYang).at(-1)).toBe(
      `【催办】${number}（容错免责申请）在“所在单位党组织意见”环节等待您的意见，已等待 4 小时（工作时间）。申请人请您尽快办理，请在卡片上办理，或发送“我的待办”查看。`,
    );
    expect((await yangFan.taps('催办')).text).toMatch(new RegExp(`^${number} 已在 2026-11-27 14:0\\d 催办过，24 小时内只能催办一次，2026-11-28 14:0\\d 后可再次催办。$`));

    // Over the weekend to Tuesday about 11:00: Friday's 7.5 hours, Monday's 8.5 and Tuesday's 2 are two working days.
    at(4 * 24 * HOUR + HOUR);
    await yangFan.taps('催办');
    expect(texts(liuYang).at(-1)).toContain('已等待 2 个工作日（工作时间）');
    const audited = await chat.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'stage.reminded'`);
    expect(Number(audited[0].n)).toBe(2);
  });

  it('tells a head who holds the next stage too “已记录” before the next card', async () => {
    await applyForTolerance(yangFan, { integrated: true });
    await decide(liuYang, '同意', '情况属实。');
    await investigate(wuHaiyan, '予以容错免责');
    const answer = await decide(chenJianguo, '同意', '同意纪工委意见。');
    const said = answer.messages.map((m) => m.text ?? m.card?.title ?? '');
    const recorded = said.findIndex((t) => t.startsWith('已记录您的意见'));
    const next = said.findIndex((t) => t === '容错免责申请待您审批：开发区党工委意见');
    expect(recorded).toBeGreaterThanOrEqual(0);
    expect(next).toBeGreaterThan(recorded);
  });

  it('tells the 纪工委 who records the city’s answer “已记录” first, then its tasks in one 【待办】 message, one clause each', async () => {
    await applyForTolerance(yangFan, { handedDown: true });
    await decide(liuYang, '同意', '情况属实，同意报纪工委。');
    await investigate(wuHaiyan, '予以容错免责');
    await recordMeeting(chenJianguo, '予以容错免责');
    await sign(chenJianguo, '同意，呈报市纪委监委。');
    await recordSubmission(wuHaiyan, '临港纪〔2026〕15号');
    const number = (await chat.db.query('SELECT number FROM cases'))[0].number;
    const before = texts(wuHaiyan).length;
    await recordAnswer(wuHaiyan, '澄纪复〔2026〕8号', '予以容错免责', '一');
    const after = texts(wuHaiyan).slice(before);
    const recorded = after.findIndex((t) => t.startsWith('已记录'));
    const todo = after.filter((t) => t.startsWith('【待办】'));
    expect(recorded).toBeGreaterThanOrEqual(0);
    expect(todo).toHaveLength(1);
    expect(after.indexOf(todo[0])).toBeGreaterThan(recorded);
    expect(todo[0]).toBe(
      [
        `【待办】${number} 有 4 项工作待您办理：`,
        '1. 按规定执行容错免责处理，依据《容错细则》第六条（一）5，建议于 2026-12-27 前完成（本区设置）；',
        '2. 在一定范围内公开认定结论，依据《容错细则》第六条（一）5，建议于 2026-12-27 前完成（本区设置）；',
        '3. 相关资料和会议纪要存储归档，依据《容错细则》第六条（一）5，建议于 2026-12-27 前完成（本区设置）；',
        '4. 约谈提醒：指出不足，鼓励放下包袱、轻装上阵，依据《容错细则》第八条（一），建议于 2026-12-27 前完成（本区设置）。',
        '发送“我的待办”查看并办理。',
      ].join('\n'),
    );
    expect(todo[0]).not.toMatch(/）（/);
  });

  it('routes a unit head’s own application past them, and says so on the receipt and the form (回避)', async () => {
    const receipt = await applyForTolerance(liuYang);
    const recusal = '所在单位党组织意见：申请人本人为党组织主要负责人，因回避，本环节由陈建国办理。';
    expect(receipt.text).toContain('审批路径：所在单位党组织意见（陈建国） → 纪（工）委意见（吴海燕） → 基层党委意见（陈建国）。');
    expect(receipt.text).toContain(recusal);
    expect(chenJianguo.lastCard()!.title).toBe('容错免责申请待您审批：所在单位党组织意见');
    const [record] = await chat.db.query('SELECT id FROM cases');
    const form = paragraphsText(await docxPart((await renderCaseDocument(chat.db, Number(record.id), 'form', 'docx'))!.content, 'word/document.xml'));
    expect(form).toContain(`回避：${recusal}`);
    // An applicant who heads nothing is routed as before, and nothing is said.
    expect((await applyForTolerance(yangFan)).text).not.toContain('回避');
  });
});
