import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat, type Chatter } from '../support/chat';
import { fillToSummary } from '../support/talkDialogue';
import { selectOpened } from '../../src/storage/confidential';

describe.each(databaseBackends)('correcting a 谈心谈话 record ($name)', (database) => {
  let chat: Chat;
  let liuYang: Chatter;
  let number: string;

  beforeEach(async () => {
    chat = await openChat(database, stateBackends[0]);
    liuYang = chat.as('P012');
    await fillToSummary(liuYang);
    number = /编号 (TH2026-\d{5})/.exec((await liuYang.taps('提交')).text)![1];
  });
  afterEach(async () => chat.close());

  const summary = async () => (await selectOpened<{ summary: string; withdrawn_at: string | null }>(chat.db, 'talks', 'SELECT summary, withdrawn_at FROM talks'))[0];

  it('when the talker corrects the summary within the grace period, then it is replaced and the old text kept', async () => {
    expect((await liuYang.says(`更正谈话 ${number}`)).text).toContain('修改后原文字会被替换');
    await liuYang.says('2');
    await liuYang.says('交流了综合科年度工作总结安排，以及明年轮岗意向。');
    expect((await liuYang.taps('提交')).text).toBe(`已修改 ${number} 的“谈话内容摘要”。`);
    expect((await summary()).summary).toBe('交流了综合科年度工作总结安排，以及明年轮岗意向。');
    const read = await liuYang.says(`查看谈话 ${number}`);
    expect(read.text).toContain('修改了“谈话内容摘要”，原为：交流了综合科年度工作总结的安排和个人思想状况。');
  });

  it('when the grace period is over, then a correction is appended and the record stays as it was', async () => {
    chat.clock.advance(25 * 3600_000);
    expect((await liuYang.says(`更正谈话 ${number}`)).text).toContain('已过修改期');
    await liuYang.says('2');
    await liuYang.says('补充：对方提出希望参加招商业务培训。');
    expect((await liuYang.taps('提交')).text).toContain('更正已附在记录之后');
    expect((await summary()).summary).toBe('交流了综合科年度工作总结的安排和个人思想状况。');
    expect((await liuYang.says(`查看谈话 ${number}`)).text).toContain('更正“谈话内容摘要”：补充：对方提出希望参加招商业务培训。');
    expect((await liuYang.says(`撤回谈话 ${number}`)).text).toContain('已超过 24 小时，不能撤回');
    expect((await summary()).withdrawn_at).toBeNull();
  });

  it('lets the talker withdraw a record within the grace period, after which it no longer counts', async () => {
    expect((await liuYang.says(`撤回谈话 ${number}`)).text).toBe(`已撤回谈话记录 ${number}，它不再计入谈话进度。`);
    expect((await summary()).withdrawn_at).not.toBeNull();
    expect((await liuYang.says('我的谈话进度')).text).toContain('杨帆');
    expect((await liuYang.says(`查看谈话 ${number}`)).text).toContain('由谈话人撤回，不计入谈话进度');
  });

  it('refuses anyone but the talker, and changes nothing', async () => {
    const other = chat.as('P014');
    expect((await other.says(`更正谈话 ${number}`)).text).toBe('只有谈话人本人可以更正或撤回谈话记录。');
    expect((await other.says(`撤回谈话 ${number}`)).text).toBe('只有谈话人本人可以更正或撤回谈话记录。');
    expect(await selectOpened(chat.db, 'talk_corrections', 'SELECT * FROM talk_corrections')).toEqual([]);
    expect((await summary()).withdrawn_at).toBeNull();
  });
});
