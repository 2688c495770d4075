import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { backoffMs } from '../../../src/bot/outbox';
import type { Card } from '../../../src/channels/port';
import { createWecomChannel, type WecomChannel } from '../../../src/channels/wecom';
import { loadWecomConfig } from '../../../src/channels/wecom/config';
import type { ManualClock } from '../../../src/clock';
import type { Bot } from '../../../src/container';
import { createLogger } from '../../../src/logger';
import type { StateStore } from '../../../src/state/stateStore';
import { databaseBackends, stateBackends, testClock } from '../../support/backends';
import { FakeWecom } from '../../support/fakeWecom';
import { rejection } from '../../support/errors';
import { createTestBot, seedTwoPeople } from '../../support/fixtures';
import { AGENT_ID, SAMPLE, SECRET, wecomEnv } from './callbacks';

const SEND = '/cgi-bin/message/send';
const say = (text: string) => ({ kind: 'text' as const, text });

describe.each(stateBackends)('the WeCom sender with the $name state store', (stateBackend) => {
  let fake: FakeWecom;
  let clock: ManualClock;
  let state: StateStore;
  const channel = (extra: NodeJS.ProcessEnv = {}): WecomChannel =>
    createWecomChannel(loadWecomConfig(wecomEnv(fake, extra))!, { state, clock, logger: createLogger('silent') });

  beforeEach(async () => {
    fake = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
    clock = testClock();
    state = stateBackend.open(clock);
  });
  afterEach(async () => {
    await state.close();
    await fake.close();
  });

  it('shares one access token between instances: two senders, one gettoken', async () => {
    const [a, b] = [channel(), channel()];
    await Promise.all([a.sender.deliver('zhangsan', say('一')), b.sender.deliver('lisi', say('二')), a.sender.deliver('lisi', say('三'))]);
    await b.sender.deliver('zhangsan', say('四'));
    expect(fake.tokenRequests()).toBe(1);
    expect(fake.delivered().map((m) => (m.text as { content: string }).content).sort()).toEqual(['一', '三', '二', '四'].sort());
  });

  it('refreshes a token that expires mid-run once, and the message still goes out once', async () => {
    const { sender } = channel();
    await sender.deliver('zhangsan', say('第一条'));
    fake.expireTokens();
    await sender.deliver('zhangsan', say('第二条'));
    await sender.deliver('zhangsan', say('第三条'));
    expect(fake.tokenRequests()).toBe(2);
    expect(fake.calls(SEND)).toHaveLength(4);
    expect(fake.delivered().map((m) => (m.text as { content: string }).content)).toEqual(['第一条', '第二条', '第三条']);
  });

  it('reports a timeout, an HTTP 500 and a busy WeCom as retryable, a refused recipient as permanent', async () => {
    const { sender } = channel({ WECOM_API_TIMEOUT_MS: '200' });
    await sender.deliver('zhangsan', say('取令牌'));
    fake.fail(SEND, 'timeout');
    const timeout = await rejection(sender.deliver('zhangsan', say('超时')));
    expect(timeout).toMatchObject({ permanent: false, message: expect.stringMatching(/timed out after 200 ms/) });
    fake.fail(SEND, 'http500');
    expect(await rejection(sender.deliver('zhangsan', say('500')))).toMatchObject({ permanent: false, code: 500 });
    fake.fail(SEND, { errcode: -1, errmsg: 'system busy' });
    expect(await rejection(sender.deliver('zhangsan', say('忙')))).toMatchObject({ permanent: false, code: -1 });
    fake.fail(SEND, { errcode: 81013, errmsg: 'user & party & tag all invalid' });
    expect(await rejection(sender.deliver('gone', say('离职')))).toMatchObject({ permanent: true, code: 81013 });
    expect(JSON.stringify(fake.requests.map((r) => r.query))).not.toContain('undefined');
  });

  it('sends text and markdown, and a card without buttons as markdown', async () => {
    const { sender } = channel();
    await sender.deliver('zhangsan', { kind: 'markdown', markdown: '**提醒**' });
    await sender.deliver('zhangsan', { kind: 'card', card: { cardId: 'notice-1', title: '通知', description: '谈话已记录', fields: [{ label: '对象', value: '李四' }], buttons: [] } });
    expect(fake.delivered()).toEqual([
      { touser: 'zhangsan', agentid: AGENT_ID, msgtype: 'markdown', markdown: { content: '**提醒**' } },
      { touser: 'zhangsan', agentid: AGENT_ID, msgtype: 'markdown', markdown: { content: '**通知**\n谈话已记录\n> 对象：李四' } },
    ]);
  });

  it('refuses for good a card with more than 6 buttons, before calling WeCom', async () => {
    const { sender } = channel();
    const card: Card = { cardId: 'too-many', title: '选择', buttons: Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, label: `选项${i}` })) };
    expect(await rejection(sender.deliver('zhangsan', { kind: 'card', card }))).toMatchObject({ permanent: true, message: expect.stringMatching(/at most 6 buttons/) });
    expect(fake.requests).toHaveLength(0);
  });

  it('closes a card with the code message/send returned, once; a second update has nothing to spend', async () => {
    const a = channel();
    const b = channel();
    await a.sender.deliver('zhangsan', { kind: 'card', card: { cardId: 'talk:7', title: '谈话提醒', buttons: [{ key: 'done', label: '已谈' }] } });
    await b.sender.deliver('zhangsan', { kind: 'cardUpdate', cardId: 'talk:7', closedLabel: '已完成' });
    await b.sender.deliver('zhangsan', { kind: 'cardUpdate', cardId: 'talk:7', closedLabel: '已完成' });
    expect(fake.cardUpdates()).toEqual([{ userids: ['zhangsan'], agentid: AGENT_ID, response_code: 'send-code-1', button: { replace_name: '已完成' } }]);
  });
});

describe.each(databaseBackends)('WeCom sends through the outbox on $name', (backend) => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  let clock: ManualClock;
  let fake: FakeWecom;
  let bot: Bot;

  const statuses = async () => (await db.query('SELECT status FROM outbox ORDER BY id')).map((r: { status: string }) => r.status);
  const texts = () => fake.delivered().map((m) => (m.text as { content: string }).content);

  beforeEach(async () => {
    ({ db, dispose } = await backend.open());
    await seedTwoPeople(db);
    clock = testClock();
    fake = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
    bot = await createTestBot({ db, clock }, wecomEnv(fake));
  });
  afterEach(async () => {
    await bot.close();
    await fake.close();
    await dispose();
  });

  it('retries a send that failed with HTTP 500 after the backoff, and delivers it exactly once', async () => {
    await bot.outbox.enqueue([{ channel: 'wecom', recipient: 'zhangsan', message: say('您有一项待审批的容错申请') }]);
    fake.fail(SEND, 'http500');
    expect(await bot.outbox.dispatchDue()).toBe(0);
    expect(await statuses()).toEqual(['pending']);
    expect(await bot.outbox.dispatchDue()).toBe(0);

    clock.advance(backoffMs(0));
    expect(await bot.outbox.dispatchDue()).toBe(1);
    expect(await bot.outbox.dispatchDue()).toBe(0);
    expect(await statuses()).toEqual(['sent']);
    expect(fake.calls(SEND)).toHaveLength(2);
    expect(texts()).toEqual(['您有一项待审批的容错申请']);
  });

  it('sends a message whose answer was lost again byte for byte, with duplicate check, and WeCom delivers it once', async () => {
    await bot.outbox.enqueue([{ channel: 'wecom', recipient: 'zhangsan', message: say('您的申请已受理') }]);
    fake.fail(SEND, 'answerLost');
    expect(await bot.outbox.dispatchDue()).toBe(0);
    clock.advance(backoffMs(0));
    expect(await bot.outbox.dispatchDue()).toBe(1);
    const [first, again] = fake.calls(SEND);
    expect(again.raw).toBe(first.raw);
    expect(first.body).toMatchObject({ enable_duplicate_check: 1, duplicate_check_interval: 1800 });
    expect(texts()).toEqual(['您的申请已受理']);
    expect(await statuses()).toEqual(['sent']);
  });

  it('delivers a message meant twice twice: the second, identical to one sent minutes before, goes without duplicate check', async () => {
    await bot.outbox.enqueue([{ channel: 'wecom', recipient: 'zhangsan', message: say('请回复“提交”确认') }]);
    await bot.outbox.dispatchDue();
    clock.advance(5 * 60_000);
    await bot.outbox.enqueue([{ channel: 'wecom', recipient: 'zhangsan', message: say('请回复“提交”确认') }]);
    await bot.outbox.dispatchDue();
    expect(texts()).toEqual(['请回复“提交”确认', '请回复“提交”确认']);
    expect(fake.calls(SEND).map((r) => r.body?.enable_duplicate_check)).toEqual([1, undefined]);
    // Long after, the same words are checked again.
    clock.advance(31 * 60_000);
    await bot.outbox.enqueue([{ channel: 'wecom', recipient: 'zhangsan', message: say('请回复“提交”确认') }]);
    await bot.outbox.dispatchDue();
    expect(fake.calls(SEND).map((r) => r.body?.enable_duplicate_check)).toEqual([1, undefined, 1]);
  });

  it('defers, never drops, the 31st message to one member within a minute', async () => {
    const thirtyOne = Array.from({ length: 31 }, (_, i) => ({ channel: 'wecom' as const, recipient: 'zhangsan', message: say(`提醒 ${i + 1}`) }));
    await bot.outbox.enqueue([...thirtyOne, { channel: 'wecom', recipient: 'lisi', message: say('给李四') }]);
    expect(await bot.outbox.dispatchDue()).toBe(31);
    expect(texts()).toHaveLength(31);
    expect(texts()).toContain('给李四');
    expect(texts()).not.toContain('提醒 31');
    const [waiting]: { status: string; error: string }[] = await db.query(`SELECT status, error FROM outbox WHERE status <> 'sent'`);
    expect(waiting).toMatchObject({ status: 'pending', error: expect.stringMatching(/30 messages in the last minute/) });
    expect(fake.calls(SEND)).toHaveLength(31);

    clock.advance(30_000);
    expect(await bot.outbox.dispatchDue()).toBe(0);
    clock.advance(31_000);
    expect(await bot.outbox.dispatchDue()).toBe(1);
    expect(texts().filter((t) => t.startsWith('提醒'))).toEqual(Array.from({ length: 31 }, (_, i) => `提醒 ${i + 1}`));
  });

  it('defers, never drops, a message to a member who had 1,000 within the hour, until the oldest of them is an hour old, counting no failed attempt', async () => {
    // 1,000 sends over the last 40 minutes, 25 a minute: under the minute limit, at the hour's.
    const start = clock.now().getTime() - 40 * 60_000;
    const sent = Array.from({ length: 1000 }, (_, i) => start + Math.floor(i / 25) * 60_000 + (i % 25) * 1000);
    await bot.state.set('wecom:rate:zhangsan', JSON.stringify(sent), 3_601_000);
    await bot.outbox.enqueue([{ channel: 'wecom', recipient: 'zhangsan', message: say('第 1001 条') }]);

    expect(await bot.outbox.dispatchDue()).toBe(0);
    const [waiting]: { status: string; attempts: number; next_attempt_at: string; error: string }[] = await db.query('SELECT status, attempts, next_attempt_at, error FROM outbox');
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0, error: expect.stringMatching(/1000 messages in the last hour/) });
    expect(Date.parse(waiting.next_attempt_at)).toBe(start + 3_600_000);
    expect(fake.calls(SEND)).toHaveLength(0);

    clock.advance(20 * 60_000 - 1);
    expect(await bot.outbox.dispatchDue()).toBe(0);
    clock.advance(1);
    expect(await bot.outbox.dispatchDue()).toBe(1);
    expect(texts()).toEqual(['第 1001 条']);
  });
});
