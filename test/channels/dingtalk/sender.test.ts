import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { backoffMs } from '../../../src/bot/outbox';
import { createDingtalkChannel, type DingtalkChannel } from '../../../src/channels/dingtalk';
import { loadDingtalkConfig } from '../../../src/channels/dingtalk/config';
import { outTrackIdOf } from '../../../src/channels/dingtalk/messages';
import type { Card } from '../../../src/channels/port';
import type { ManualClock } from '../../../src/clock';
import type { Bot } from '../../../src/container';
import { createLogger } from '../../../src/logger';
import type { StateStore } from '../../../src/state/stateStore';
import { databaseBackends, stateBackends, testClock } from '../../support/backends';
import { FakeDingtalk } from '../../support/fakeDingtalk';
import { rejection } from '../../support/errors';
import { createTestBot, seedTwoPeople } from '../../support/fixtures';
import { APP_KEY, APP_SECRET, dingtalkEnv, ROBOT_CODE } from './callbacks';

const { send: SEND, createCard: CREATE, deliverCard: DELIVER, updateCard: UPDATE } = FakeDingtalk.paths;
const say = (text: string) => ({ kind: 'text' as const, text });
const contents = (fake: FakeDingtalk) => fake.sent().map((m) => (JSON.parse(m.msgParam as string) as { content: string }).content);
const approval: Card = { cardId: 'wf-st3', title: '容错免责申请待您审批', buttons: [{ key: 'wfs:3:approve', label: '同意', style: 'primary' }] };

describe.each(stateBackends)('the DingTalk sender with the $name state store', (stateBackend) => {
  let fake: FakeDingtalk;
  let clock: ManualClock;
  let state: StateStore;
  const channel = (extra: NodeJS.ProcessEnv = {}): DingtalkChannel =>
    createDingtalkChannel(loadDingtalkConfig(dingtalkEnv(fake, extra))!, { state, clock, logger: createLogger('silent') });

  beforeEach(async () => {
    fake = await new FakeDingtalk(APP_KEY, APP_SECRET, ROBOT_CODE).start();
    clock = testClock();
    state = stateBackend.open(clock);
  });
  afterEach(async () => {
    await state.close();
    await fake.close();
  });

  it('shares one access token between instances, and refreshes it once when it expires mid-run', async () => {
    const [a, b] = [channel(), channel()];
    await Promise.all([a.sender.deliver('zhangsan', say('一')), b.sender.deliver('lisi', say('二')), a.sender.deliver('lisi', say('三'))]);
    expect(fake.tokenRequests()).toBe(1);
    fake.expireTokens();
    await b.sender.deliver('zhangsan', say('四'));
    await a.sender.deliver('zhangsan', say('五'));
    expect(fake.tokenRequests()).toBe(2);
    expect(fake.calls(SEND)).toHaveLength(6);
    expect(contents(fake).sort()).toEqual(['一', '三', '二', '四', '五'].sort());
  });

  it('reports a throttled member, a timeout, HTTP 500 and QPS limits as retryable, a member the robot cannot reach as permanent', async () => {
    const { sender } = channel({ DINGTALK_API_TIMEOUT_MS: '200' });
    await sender.deliver('zhangsan', say('取令牌'));
    fake.fail(SEND, 'flowControl');
    expect(await rejection(sender.deliver('zhangsan', say('限流')))).toMatchObject({ permanent: false, code: 'flowControlled' });
    fake.fail(SEND, 'timeout');
    expect(await rejection(sender.deliver('zhangsan', say('超时')))).toMatchObject({ permanent: false, message: expect.stringMatching(/timed out after 200 ms/) });
    fake.fail(SEND, 'http500');
    expect(await rejection(sender.deliver('zhangsan', say('500')))).toMatchObject({ permanent: false, code: 500 });
    fake.fail(SEND, { status: 403, code: 'Forbidden.AccessDenied.QpsLimitForApi' });
    expect(await rejection(sender.deliver('zhangsan', say('QPS')))).toMatchObject({ permanent: false, code: 'Forbidden.AccessDenied.QpsLimitForApi' });
    fake.invalidStaff.add('gone');
    expect(await rejection(sender.deliver('gone', say('离职')))).toMatchObject({ permanent: true, code: 'invalidStaff' });
    fake.fail(SEND, { status: 400, code: 'param.invalid' });
    expect(await rejection(sender.deliver('zhangsan', say('错')))).toMatchObject({ permanent: true, code: 'param.invalid' });
  });

  it('takes batchSend’s documented throttling answers (HTTP 400, “请稍后再试”) as retryable, and its parameter errors as permanent', async () => {
    const { sender } = channel();
    await sender.deliver('zhangsan', say('取令牌'));
    for (const code of ['send.too.fast', 'send.byToken.tooFast', 'too.many.people', 'too.many.group']) {
      fake.fail(SEND, { status: 400, code });
      expect(await rejection(sender.deliver('zhangsan', say(code))), code).toMatchObject({ permanent: false, code });
    }
    for (const code of ['invalidParameter.msgParam.invalid', 'invalidParameter.userIds.overMax', 'staffId.notExisted']) {
      fake.fail(SEND, { status: 400, code });
      expect(await rejection(sender.deliver('zhangsan', say(code))), code).toMatchObject({ permanent: true, code });
    }
    // Setup an administrator fixes: the message waits for the fix rather than being dropped.
    for (const code of ['invalidParameter.robotCode.auth', 'Forbidden.AccessDenied.AccessTokenPermissionDenied', 'Forbidden.AccessDenied.IpNotInWhiteList']) {
      fake.fail(SEND, { status: code.startsWith('Forbidden') ? 403 : 400, code });
      expect(await rejection(sender.deliver('zhangsan', say(code))), code).toMatchObject({ permanent: false, code });
    }
    fake.fail(SEND, { status: 400, code: 'something.new' });
    expect(await rejection(sender.deliver('zhangsan', say('新')))).toMatchObject({ permanent: false, message: expect.stringMatching(/undocumented answer; retried/) });
  });

  it('counts a send as sent only on DingTalk’s documented success', async () => {
    const { sender } = channel();
    fake.fail(SEND, { answer: { invalidStaffIdList: [], flowControlledStaffIdList: [] } });
    expect(await rejection(sender.deliver('zhangsan', say('无回执')))).toMatchObject({ permanent: false, code: 'noProcessQueryKey' });
    fake.fail(CREATE, { answer: { success: true, result: { outTrackId: 'x' } } });
    expect(await rejection(sender.deliver('zhangsan', { kind: 'card', card: approval }))).toMatchObject({ permanent: false, message: expect.stringMatching(/no delivery result/) });
    fake.fail(UPDATE, { answer: { success: false, result: false } });
    await sender.deliver('zhangsan', { kind: 'card', card: approval });
    expect(await rejection(sender.deliver('zhangsan', { kind: 'cardUpdate', cardId: 'wf-st3', closedLabel: '已处理' }))).toMatchObject({ permanent: false, code: 'updateFailed' });
  });

  it('sends Markdown, and a card without buttons as Markdown rather than an interactive card', async () => {
    const { sender } = channel();
    await sender.deliver('zhangsan', { kind: 'markdown', markdown: '## 提醒\n明天谈话' });
    await sender.deliver('zhangsan', { kind: 'card', card: { cardId: 'n1', title: '通知', description: '谈话已记录', fields: [{ label: '对象', value: '李四' }], buttons: [] } });
    expect(fake.sent().map((m) => [m.msgKey, JSON.parse(m.msgParam as string)])).toEqual([
      ['sampleMarkdown', { title: '提醒', text: '## 提醒\n明天谈话' }],
      ['sampleMarkdown', { title: '通知', text: '**通知**\n\n谈话已记录\n\n**对象**：李四' }],
    ]);
    expect(fake.calls(CREATE)).toEqual([]);
  });

  it('delivers a card again, not twice created, when an earlier attempt created it; updates nothing that does not exist', async () => {
    const { sender } = channel();
    await sender.deliver('zhangsan', { kind: 'card', card: approval });
    await sender.deliver('zhangsan', { kind: 'card', card: approval });
    expect(fake.calls(CREATE)).toHaveLength(2);
    expect(fake.calls(DELIVER).map((r) => r.body.outTrackId)).toEqual([outTrackIdOf('wf-st3', 'zhangsan')]);
    await sender.deliver('lisi', { kind: 'card', card: approval });
    expect(fake.cards.size).toBe(2);
    await sender.deliver('zhangsan', { kind: 'cardUpdate', cardId: 'never-sent', closedLabel: '已处理' });
    expect(fake.cardUpdates()).toEqual([]);
  });
});

describe.each(databaseBackends)('DingTalk sends through the outbox on $name', (backend) => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  let clock: ManualClock;
  let fake: FakeDingtalk;
  let bot: Bot;
  const statuses = async () => (await db.query('SELECT status FROM outbox ORDER BY id')).map((r: { status: string }) => r.status);

  beforeEach(async () => {
    ({ db, dispose } = await backend.open());
    await seedTwoPeople(db);
    clock = testClock();
    fake = await new FakeDingtalk(APP_KEY, APP_SECRET, ROBOT_CODE).start();
    bot = await createTestBot({ db, clock }, dingtalkEnv(fake));
  });
  afterEach(async () => {
    await bot.close();
    await fake.close();
    await dispose();
  });

  it('retries a send DingTalk throttled after the backoff, keeping the member’s order, and delivers each once', async () => {
    await bot.outbox.enqueue([
      { channel: 'dingtalk', recipient: 'zhangsan', message: say('您有一项待审批的容错申请') },
      { channel: 'dingtalk', recipient: 'zhangsan', message: say('第二条') },
      { channel: 'dingtalk', recipient: 'lisi', message: say('给李四') },
    ]);
    fake.fail(SEND, 'flowControl');
    expect(await bot.outbox.dispatchDue()).toBe(1);
    expect(await statuses()).toEqual(['pending', 'pending', 'sent']);
    const [waiting]: { error: string }[] = await db.query(`SELECT error FROM outbox WHERE status = 'pending' ORDER BY id`);
    expect(waiting.error).toMatch(/flowControlledStaffIdList/);

    clock.advance(backoffMs(0));
    expect(await bot.outbox.dispatchDue()).toBe(2);
    expect(await statuses()).toEqual(['sent', 'sent', 'sent']);
    expect(contents(fake)).toEqual(['给李四', '您有一项待审批的容错申请', '第二条']);
  });

  it('keeps a card whose delivery failed after its creation timed out unsent, and sends it when the delivery succeeds', async () => {
    await bot.outbox.enqueue([
      { channel: 'dingtalk', recipient: 'zhangsan', message: { kind: 'card', card: approval } },
      { channel: 'dingtalk', recipient: 'zhangsan', message: say('随后的消息') },
    ]);
    // createAndDeliver creates the card but its answer never comes; the retry finds the card there
    // and delivers it, and DingTalk answers with its result array: this delivery failed.
    fake.fail(CREATE, 'answerLost');
    fake.fail(DELIVER, { answer: { success: true, result: [{ spaceType: 'IM_ROBOT', spaceId: 'zhangsan', success: false, errorMsg: '投放失败' }] } });
    await bot.outbox.dispatchDue();
    expect(await statuses()).toEqual(['pending', 'pending']);
    clock.advance(backoffMs(0));
    await bot.outbox.dispatchDue();
    const [{ error }]: { error: string }[] = await db.query('SELECT error FROM outbox ORDER BY id');
    expect(error).toMatch(/card not delivered: 投放失败/);
    expect(await statuses()).toEqual(['pending', 'pending']);
    clock.advance(backoffMs(1));
    await bot.outbox.dispatchDue();
    expect(await statuses()).toEqual(['sent', 'sent']);
    expect(fake.calls(CREATE)).toHaveLength(3);
    expect(fake.calls(DELIVER)).toHaveLength(2);
    expect(contents(fake)).toEqual(['随后的消息']);
  });

  it('holds a member’s messages while batchSend answers send.too.fast, then delivers each once, in order', async () => {
    await bot.outbox.enqueue([{ channel: 'dingtalk', recipient: 'zhangsan', message: say('第一条') }, { channel: 'dingtalk', recipient: 'zhangsan', message: say('第二条') }]);
    fake.fail(SEND, { status: 400, code: 'send.too.fast' }, 2);
    await bot.outbox.dispatchDue();
    clock.advance(backoffMs(0));
    await bot.outbox.dispatchDue();
    expect(await statuses()).toEqual(['pending', 'pending']);
    clock.advance(backoffMs(1));
    await bot.outbox.dispatchDue();
    expect(await statuses()).toEqual(['sent', 'sent']);
    expect(contents(fake)).toEqual(['第一条', '第二条']);
  });

  it('gives up at once on a member the robot cannot reach, and does not hold up the others', async () => {
    fake.invalidStaff.add('zhangsan');
    await bot.outbox.enqueue([{ channel: 'dingtalk', recipient: 'zhangsan', message: say('离职人员') }, { channel: 'dingtalk', recipient: 'lisi', message: say('在职人员') }]);
    await bot.outbox.dispatchDue();
    expect(await statuses()).toEqual(['failed', 'sent']);
    expect(fake.calls(SEND)).toHaveLength(2);
  });
});
