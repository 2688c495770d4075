import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/bot/inbox';
import type { TextEvent } from '../../src/channels/port';
import { Answer } from '../support/chatters/base';
import { openChat, type Chat, type Chatter } from '../support/chat';
import { stacks } from '../support/channelHarness';

/**
 * A person's events are applied in the order the person sent them, whatever order they reach the
 * bot in; one that comes in after a later one was already applied fills nothing and is reported.
 * (The real outage that causes this, a database cut while WeCom retries, is in
 * test/reliability/lateArrival.test.ts; here events are stored directly, on every backend.)
 */
describe.each(stacks)('the order of a person’s events on $database.name + $state.name', (stack) => {
  let chat: Chat;
  let me: Chatter;
  const key = Inbox.userKey({ channel: 'simulator', channelUserId: 'P012' });
  const sent = (offsetS: number, id: string, text: string): TextEvent => ({
    kind: 'text', channel: 'simulator', channelUserId: 'P012', messageId: id, text,
    sentAt: new Date(Date.parse('2026-11-27T02:02:00.000Z') + offsetS * 1000).toISOString(),
  });
  const matter = '滨江项目征地补偿问题被纪工委启动问责';
  const reason = '2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。';
  const draft = async () => {
    const [person]: { id: number }[] = await chat.db.query(`SELECT id FROM people WHERE code = 'P012'`);
    return JSON.parse((await chat.state.get(`dialogue:${person.id}`))!);
  };
  /** Stores the events as the webhook would, then lets the worker handle them and send the replies. */
  const arrive = async (...events: TextEvent[]) => {
    const before = me.transcript().length;
    for (const e of events) await chat.bot.inbox.accept(e, `msg:${e.messageId}`);
    await chat.bot.inboxWorker.drainUser(key);
    await chat.bot.outbox.dispatchDue();
    return new Answer(me.transcript().slice(before));
  };

  beforeEach(async () => {
    chat = await openChat(stack.database, stack.state);
    me = chat.as('P012');
    await me.says('申请容错');
    await me.says('否');
    expect((await me.says('1')).text).toContain('请简要描述被问责的事项');
  });
  afterEach(async () => chat.close());

  it('applies two answers stored in the reverse of the order they were sent in the order sent', async () => {
    // A (问责事项说明), the tap on 否 (是否涉及市管干部), B (申请事由): stored last to first.
    await arrive(sent(2, 'b', reason), sent(1, 'c', '否'), sent(0, 'a', matter));
    const { values } = await draft();
    expect(values.matterText).toBe(matter);
    expect(values.cityCadre).toBe(false);
    expect(values.reason).toBe(reason);
  });

  it('does not let an answer that arrives after a later one fill the step asked now, and says so', async () => {
    // B (meant for 申请事由) is stored and applied first: it fills 问责事项说明, the step then asked.
    await arrive(sent(1, 'b', reason));
    expect((await draft()).values.matterText).toBe(reason);
    // A, sent a second earlier, arrives now: it must not become the 申请事由.
    const told = await arrive(sent(0, 'a', matter));
    expect((await draft()).values.reason).toBeUndefined();
    expect(told.text).toContain('您 10:02 发送的“滨江项目征地补偿问题被纪工委启动问责”晚到了');
    expect(told.text).toContain('未填入');
    expect(told.text).toContain('最近填入“问责事项说明”的是：2026年8月在推进滨江项目征地时');
    expect(told.text).toContain('当前在填写“容错免责申请”的“是否涉及市管干部”');
    // The person decides, a minute later: back to 问责事项说明, and both answers where they belong.
    chat.clock.set(new Date('2026-11-27T02:03:00.000Z'));
    expect((await me.says('上一步')).text).toContain('请简要描述被问责的事项');
    await me.says(matter);
    await me.says('否');
    await me.says(reason);
    const { values } = await draft();
    expect(values).toMatchObject({ matterText: matter, cityCadre: false, reason });
  });

  it('does not let a late command act either: a 取消 sent before the dialogue began cancels nothing', async () => {
    await arrive(sent(5, 'c', matter));
    const told = await arrive(sent(-60, 'old', '取消'));
    expect(told.text).toContain('发送的“取消”晚到了');
    expect((await draft()).values.matterText).toBe(matter);
  });
});
