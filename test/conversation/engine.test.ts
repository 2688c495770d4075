import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/bot/inbox';
import type { Completion } from '../../src/bot/turn';
import type { TextEvent } from '../../src/channels/port';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat, type Chatter } from '../support/chat';
import { fillToSummary } from '../support/talkDialogue';
import { selectOpened } from '../../src/storage/confidential';

/** The person's draft, undefined when no dialogue is going on, checked to be the same in both copies. */
const draftOf = async (chat: Chat, personCode: string) => {
  const [person]: { id: number }[] = await chat.db.query('SELECT id FROM people WHERE code = ?', [personCode]);
  const raw = await chat.state.get(`dialogue:${person.id}`);
  const parsed = raw ? JSON.parse(raw) : undefined;
  const draft = parsed?.ended ? undefined : parsed;
  const [copy]: { payload: string }[] = await selectOpened<{ payload: string }>(chat.db, 'draft_copies', 'SELECT payload FROM draft_copies WHERE person_id = ?', [person.id]);
  expect(copy ? JSON.parse(copy.payload) : undefined).toEqual(draft);
  return draft;
};
const talkCount = async (chat: Chat) => Number((await chat.db.query('SELECT COUNT(*) AS n FROM talks'))[0].n);

describe.each(stateBackends)('the conversation engine, state in $name', (stateBackend) => {
  let chat: Chat;
  let me: Chatter;

  beforeEach(async () => {
    chat = await openChat(databaseBackends[0], stateBackend);
    me = chat.as('P012');
  });
  afterEach(async () => chat.close());

  describe('commands that work at every step', () => {
    beforeEach(async () => {
      await me.says('记录谈话');
      await me.says('杨帆');
      await me.says('昨天');
    });

    it('上一步 asks the previous step again, showing the earlier answer', async () => {
      const back = await me.says('上一步');
      expect(back.text).toContain('哪天谈的？');
      expect(back.text).toContain('上次填写的是：2026-11-26');
      expect((await me.says('前天')).text).toContain('在哪里谈的？');
      expect((await draftOf(chat, 'P012')).values.talkedOn).toBe('2026-11-25');
    });

    it('帮助 says what this step expects and where it comes from', async () => {
      await me.says('上一步');
      await me.says('上一步');
      const help = await me.says('帮助');
      expect(help.text).toContain('这一步：谈话对象');
      expect(help.text).toContain('怎么回答：请输入姓名');
      expect(help.text).toContain('依据：《激励办法》第十一条（四）');
    });

    it('菜单 shows the menu and 继续 returns to the question where it was', async () => {
      const menu = await me.says('菜单');
      expect(menu.text).toContain('您正在填写“谈心谈话记录”');
      expect(menu.cards[0].buttons.map((b) => b.label)).toContain('我的待办');
      expect((await me.says('继续')).text).toContain('在哪里谈的？');
    });

    it('取消 after two answers asks too, and 确定取消 keeps nothing', async () => {
      const ask = await me.says('取消');
      expect(ask.text).toContain('您已填写 2 项');
      expect((await me.taps('确定取消')).text).toBe('已取消，填写的内容没有保存。需要时发送“记录谈话”重新开始。');
      expect(await draftOf(chat, 'P012')).toBeUndefined();
      const after = await me.says('会议室');
      expect(after.cards).toEqual([]);
      expect(after.text).toContain('没听懂“会议室”');
    });

    it('取消 after much typing asks first, and 继续填写 goes on where it was', async () => {
      await me.says('会议室');
      const ask = await me.says('取消');
      expect(ask.text).toContain('确定要取消吗？');
      expect(ask.text).toContain('您已填写 3 项');
      expect((await me.taps('继续填写')).text).toContain('这次谈话属于哪一类？');
      await me.says('取消');
      expect((await me.taps('确定取消')).text).toContain('已取消');
      expect(await draftOf(chat, 'P012')).toBeUndefined();
    });

    it('我的申请 and 我的待办 answer without disturbing the draft', async () => {
      expect((await me.says('我的申请')).text).toBe('您目前没有提交过申请或备案。');
      expect((await me.says('我的待办')).text).toBe('您目前没有待办事项。');
      expect((await draftOf(chat, 'P012')).mode).toEqual({ kind: 'ask', stepKey: 'place' });
    });
  });

  it('when an answer is not valid, then the bot says what was wrong and gives an example', async () => {
    await me.says('记录谈话');
    await me.says('杨帆');
    const wrong = await me.says('下下个月');
    expect(wrong.text).toContain('没能识别“下下个月”这个日期');
    expect(wrong.text).toContain('例如：2026-03-05、3月5日、昨天、上周五');
    const future = await me.says('2026-12-25');
    expect(future.text).toContain('2026-12-25 还没有到');
    expect((await me.says('上周五')).text).toContain('在哪里谈的？');
    expect((await draftOf(chat, 'P012')).values.talkedOn).toBe('2026-11-20');
  });

  it('when the same step fails three times, then the bot offers 重新填写 / 取消 / 联系管理员', async () => {
    await me.says('记录谈话');
    await me.says('不存在的人');
    await me.says('查无此人');
    const stuck = await me.says('某某某');
    expect(stuck.cards[0].buttons.map((b) => b.label)).toEqual(['重新填写', '取消', '联系管理员']);

    const contact = await me.taps('联系管理员');
    expect(contact.text).toContain('已通知党群工作部（王芳、孙丽）');
    const adminSaw = chat.as('P005').transcript().map((m) => m.text).join('\n');
    expect(adminSaw).toContain('【求助】刘洋（经济发展局）在填写“谈心谈话记录”的“谈话对象”一步时遇到困难');

    expect((await me.taps('重新填写')).text).toContain('这张卡片上的按钮已经用过了');
    const retry = await me.says('继续');
    expect(retry.text).toContain('这次和谁谈的话？');
    expect((await me.says('杨帆')).text).toContain('哪天谈的？');
  });

  it('when a draft has waited longer than its time to live, then the person is told and starts afresh', async () => {
    await me.says('记录谈话');
    await me.says('杨帆');
    chat.clock.advance(chat.bot.config.draftTtlMs + 60_000);
    const back = await me.says('昨天');
    expect(back.text).toContain('您之前填写的“谈心谈话记录”长时间未继续，草稿已失效，请重新开始。');
    expect(await draftOf(chat, 'P012')).toBeUndefined();
  });

  it('when a deploy changed the dialogue, then an old draft is restarted politely, not crashed', async () => {
    await me.says('记录谈话');
    await me.says('杨帆');
    const [person]: { id: number }[] = await chat.db.query(`SELECT id FROM people WHERE code = 'P012'`);
    const draft = await draftOf(chat, 'P012');
    await chat.state.set(`dialogue:${person.id}`, JSON.stringify({ ...draft, dialogueVersion: 0 }));
    const after = await me.says('昨天');
    expect(after.text).toContain('系统已升级，您之前填写的“谈心谈话记录”需要重新开始');
    expect((await me.says('记录谈话')).text).toContain('这次和谁谈的话？');
  });

  it('when the stored draft is not even JSON, then the person is told and nothing crashes', async () => {
    await me.says('记录谈话');
    const [person]: { id: number }[] = await chat.db.query(`SELECT id FROM people WHERE code = 'P012'`);
    await chat.state.set(`dialogue:${person.id}`, '{"format": 1, "dialogue": ');
    await chat.db.query('UPDATE draft_copies SET payload = ? WHERE person_id = ?', ['{"format": 1, "dialogue": ', person.id]);
    expect((await me.says('杨帆')).text).toContain('需要重新开始');
  });

  it('when the state store lost the draft (Redis restarted empty), then the database copy carries the dialogue on', async () => {
    await me.says('记录谈话');
    await me.says('杨帆');
    const [person]: { id: number }[] = await chat.db.query(`SELECT id FROM people WHERE code = 'P012'`);
    await chat.state.delete(`dialogue:${person.id}`);
    expect((await me.says('昨天')).text).toContain('在哪里谈的？');
    expect((await draftOf(chat, 'P012')).values.talkedOn).toBe('2026-11-26');
  });

  it('when the state store came back with an older draft (a snapshot), then the newer database copy wins', async () => {
    await me.says('记录谈话');
    const [person]: { id: number }[] = await chat.db.query(`SELECT id FROM people WHERE code = 'P012'`);
    const older = JSON.parse((await chat.state.get(`dialogue:${person.id}`))!) as Record<string, unknown>;
    await me.says('杨帆');
    // A snapshot comes back with a restart, in another life of the store than the one it was saved in.
    await chat.state.set(`dialogue:${person.id}`, JSON.stringify({ ...older, life: 'before the restart' }));
    expect((await me.says('昨天')).text).toContain('在哪里谈的？');
    expect((await draftOf(chat, 'P012')).values.talkees).toEqual([expect.objectContaining({ name: '杨帆' })]);
  });

  it('when the state store’s draft was saved in its current life, then a turn does not read the database copy', async () => {
    await me.says('记录谈话');
    const reads: string[] = [];
    const query = chat.db.query.bind(chat.db);
    chat.db.query = ((sql: string, parameters?: unknown[]) => {
      if (/FROM draft_copies/.test(sql)) reads.push(sql);
      return query(sql, parameters);
    }) as typeof chat.db.query;
    try {
      expect((await me.says('杨帆')).text).toContain('哪天谈的？');
    } finally {
      chat.db.query = query;
    }
    expect(reads).toEqual([]);
    const [copy]: { revision: number | string }[] = await chat.db.query('SELECT revision FROM draft_copies WHERE person_id = (SELECT id FROM people WHERE code = ?)', ['P012']);
    expect(Number(copy.revision)).toBe((await draftOf(chat, 'P012')).revision);
  });

  it('when two messages of one person arrive at once, then they are answered one at a time in order', async () => {
    await me.says('记录谈话');
    const event = (id: string, text: string): TextEvent => ({
      kind: 'text', channel: 'simulator', channelUserId: 'P012', messageId: id, text, sentAt: chat.clock.now().toISOString(),
    });
    await chat.bot.inbox.accept(event('x1', '杨帆'), 'msg:x1');
    await chat.bot.inbox.accept(event('x2', '昨天'), 'msg:x2');
    const key = Inbox.userKey({ channel: 'simulator', channelUserId: 'P012' });
    await Promise.all([chat.bot.inboxWorker.drainUser(key), chat.bot.inboxWorker.drainUser(key)]);
    const draft = await draftOf(chat, 'P012');
    expect(draft.values.talkees).toEqual([expect.objectContaining({ name: '杨帆' })]);
    expect(draft.values.talkedOn).toBe('2026-11-26');
    expect(draft.mode).toEqual({ kind: 'ask', stepKey: 'place' });
  });

  it('when the same event is handled again after a crash, then it is answered again but applied once', async () => {
    await me.says('记录谈话');
    const event: TextEvent = { kind: 'text', channel: 'simulator', channelUserId: 'P012', messageId: 'again', text: '杨帆', sentAt: chat.clock.now().toISOString() };
    const [person] = await chat.bot.roster.peopleNamed('刘洋');
    const replies: unknown[] = [];
    const completions: Completion[] = [];
    const turn = { eventId: 'simulator:msg:again', event, person, arrivedLate: false, reply: (m: unknown) => replies.push(m), notify: () => undefined, alsoOnCompletion: (w: Completion) => completions.push(w) };
    await chat.bot.engine.handle(turn);
    // The first run crashed before its transaction: only the redone turn's completion is written,
    // and the database copy still catches up with the draft (draftOf compares both).
    completions.length = 0;
    await chat.bot.engine.handle(turn);
    for (const write of completions) await write(chat.db);
    // The date question and its card of quick answers, twice over: the same both times.
    expect(replies).toHaveLength(4);
    expect(replies.slice(2)).toEqual(replies.slice(0, 2));
    expect((await draftOf(chat, 'P012')).mode).toEqual({ kind: 'ask', stepKey: 'talkedOn' });
  });

  it('when the bot offers to start a dialogue, then one tap starts it with the answers it already knows', async () => {
    const [person] = await chat.bot.roster.peopleNamed('刘洋');
    const [yangFan] = await chat.bot.roster.peopleNamed('杨帆');
    const offer = await chat.bot.engine.offer('talkLog', '您今年还未与杨帆谈心谈话，要现在记录吗？', { talkees: [{ id: yangFan.id, name: '杨帆' }] });
    await chat.bot.outbox.enqueue([{ channel: 'simulator', recipient: person.code, message: offer }]);
    await chat.bot.outbox.dispatchDue();
    const started = await me.taps('现在记录');
    expect(started.text).toContain('哪天谈的？');
    expect(me.transcript().find((m) => m.card?.title.includes('要现在记录吗'))!.card!.closedLabel).toBe('已开始记录');
    expect((await me.taps('现在记录')).text).toContain('这个提醒已处理过或已过期');
  });

  it('when someone taps a button of another person’s draft, then nothing changes', async () => {
    await fillToSummary(me);
    const card = me.lastCard()!;
    const other = chat.as('P014');
    const answer = await other.tapsOn(card.cardId, card.buttons[0].key);
    expect(answer.text).toContain('这张卡片已失效');
    expect(await talkCount(chat)).toBe(0);
  });
});

describe.runIf(stateBackends.some((b) => b.name === 'redis'))('a dialogue across a restart', () => {
  it.each(databaseBackends)('continues where it was after the process restarts (Redis, $name)', async (database) => {
    const chat = await openChat(database, stateBackends.find((b) => b.name === 'redis')!);
    const me = chat.as('P012');
    await me.says('记录谈话');
    await me.says('杨帆');
    await chat.restart();
    expect((await me.says('昨天')).text).toContain('在哪里谈的？');
    await chat.close();
  });
});
