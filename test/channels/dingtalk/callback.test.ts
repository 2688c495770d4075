import { describe, expect, it } from 'vitest';
import { UNKNOWN_USER_REPLY } from '../../../src/bot/inboxWorker';
import type { TurnHandler } from '../../../src/bot/turn';
import { decryptEvent } from '../../../src/channels/dingtalk/callbackCrypto';
import { outTrackIdOf } from '../../../src/channels/dingtalk/messages';
import type { ClickEvent } from '../../../src/channels/port';
import { createTestBot } from '../../support/fixtures';
import { FakeDingtalk } from '../../support/fakeDingtalk';
import { serve } from '../../support/http';
import { cardClick, dingtalkEnv, EVENT_KEYS, postCard, postEvent, postRobot, ROBOT_CODE, robotText, SAMPLE, sealEvent } from './callbacks';
import { dingtalkHarness } from './harness';
import { stacks } from '../../support/channelHarness';

const text = (content: string) => ({ msgKey: 'sampleText', msgParam: JSON.stringify({ content }) });

describe.each(stacks)('the DingTalk callbacks on $database.name + $state.name', (stack) => {
  const h = dingtalkHarness(stack);

  it('answers the check_url handshake of the published sample with an encrypted, signed “success”', async () => {
    await h.start();
    const v = SAMPLE.checkUrl;
    h.clock.set(new Date(Number(v.timestamp) + 1_000));
    const response = await postEvent(h.url, { query: `signature=${v.signature}&timestamp=${v.timestamp}&nonce=${v.nonce}`, body: JSON.stringify({ encrypt: v.encrypt }) });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as { msg_signature: string; timeStamp: string; nonce: string; encrypt: string };
    expect(reply.timeStamp).toBe(String(h.now()));
    expect(decryptEvent(EVENT_KEYS, reply.encrypt)).toBe('success');
    expect(await h.count('inbox')).toBe(0);
  });

  it('acknowledges other subscribed events, and refuses pushes signed or sealed for someone else', async () => {
    await h.start();
    const ok = await postEvent(h.url, sealEvent('{"EventType":"user_add_org","UserId":["wangwu"]}', { timestamp: h.now() }));
    expect(ok.status).toBe(200);
    const forged = sealEvent('{"EventType":"check_url"}', { timestamp: h.now() });
    expect((await postEvent(h.url, { ...forged, query: forged.query.replace('nonce=n0nce123', 'nonce=other') })).status).toBe(401);
    expect((await postEvent(h.url, sealEvent('{"EventType":"check_url"}', { timestamp: h.now(), receiveId: 'dingother' }))).status).toBe(401);
    expect((await postEvent(h.url, sealEvent('{"EventType":"check_url"}', { timestamp: h.now() - 3_600_001 }))).status).toBe(401);
    expect((await postEvent(h.url, { query: 'timestamp=1&nonce=x', body: '{}' })).status).toBe(400);
  });

  it('takes a signed robot message once, answers 200 with nothing, and replies through batchSend', async () => {
    await h.start(async (turn) => turn.reply({ kind: 'text', text: `收到：${turn.event.kind === 'text' ? turn.event.text : ''}` }));
    const message = robotText({ from: 'zhangsan', text: '申请容错', msgId: 'msgA==', createAt: h.now() });
    const response = await postRobot(h.url, message, { timestamp: h.now() });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    const [row]: { dedupe_key: string; payload: string }[] = await h.db.query('SELECT dedupe_key, payload FROM inbox');
    expect(row.dedupe_key).toBe('msg:msgA==');
    expect(JSON.parse(row.payload)).toMatchObject({ channel: 'dingtalk', channelUserId: 'zhangsan', kind: 'text', text: '申请容错' });
    await h.settle();
    expect(h.fake.sent()).toEqual([{ robotCode: ROBOT_CODE, userIds: ['zhangsan'], ...text('收到：申请容错') }]);
  });

  it('refuses a bad sign, a stale timestamp, a body over the limit and a malformed message, recording nothing', async () => {
    await h.start();
    const message = robotText({ from: 'zhangsan', text: '你好', msgId: 'msgB==', createAt: h.now() });
    const cases: [number, RegExp, Promise<Response>][] = [
      [401, /bad robot callback sign/, postRobot(h.url, message, { timestamp: h.now(), sign: 'AAAA' })],
      [401, /more than an hour/, postRobot(h.url, message, { timestamp: h.now() - 3_600_001 })],
      [401, /lacks the timestamp/, fetch(`${h.url}/dingtalk/robot`, { method: 'POST', body: JSON.stringify(message) })],
      [413, /too large/, postRobot(h.url, { ...message, text: { content: 'x'.repeat(h.bot.config.bodyLimitBytes) } }, { timestamp: h.now() })],
      [400, /not JSON/, postRobot(h.url, '{"msgId":', { timestamp: h.now() })],
      [400, /malformed \(msgId\)/, postRobot(h.url, { ...message, msgId: 7 }, { timestamp: h.now() })],
    ];
    for (const [status, reason, request] of cases) {
      const response = await request;
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(reason);
    }
    expect(await h.count('inbox')).toBe(0);
    expect(JSON.stringify(h.logLines)).not.toContain('你好');
  });

  it('handles a message DingTalk delivers three times, to two instances, exactly once', async () => {
    let handled = 0;
    const handler: TurnHandler = async (turn) => {
      handled += 1;
      turn.reply({ kind: 'text', text: '收到' });
    };
    await h.start(handler);
    const other = await createTestBot({ db: h.db, clock: h.clock, state: h.bot.state, handler }, dingtalkEnv(h.fake));
    const otherServer = await serve(other.app);
    const message = robotText({ from: 'zhangsan', text: '申请容错', msgId: 'msgC==', createAt: h.now() });
    const first = await postRobot(h.url, message, { timestamp: h.now() });
    h.clock.advance(5_000);
    const retries = await Promise.all([postRobot(otherServer.url, message, { timestamp: h.now() }), postRobot(h.url, message, { timestamp: h.now() })]);
    expect([first, ...retries].map((r) => r.status)).toEqual([200, 200, 200]);
    await Promise.all([h.settle(), other.worker.kick()]);
    await h.settle();
    await otherServer.close();
    await other.worker.stop();
    expect(handled).toBe(1);
    expect(await h.count('inbox')).toBe(1);
    expect(h.fake.sent()).toEqual([{ robotCode: ROBOT_CODE, userIds: ['zhangsan'], ...text('收到') }]);
  });

  it('tells a DingTalk user missing from the roster to contact 党群工作部', async () => {
    await h.start();
    await postRobot(h.url, robotText({ from: 'stranger', text: '你好', msgId: 'msgD==', createAt: h.now() }), { timestamp: h.now() });
    await h.settle();
    expect(h.fake.sent()).toEqual([{ robotCode: ROBOT_CODE, userIds: ['stranger'], ...text(UNKNOWN_USER_REPLY) }]);
  });

  it('sends an interactive card, turns its signed click into a click event, and closes it for everyone', async () => {
    const clicks: ClickEvent[] = [];
    await h.start(async (turn) => {
      if (turn.event.kind === 'click') {
        clicks.push(turn.event);
        turn.reply({ kind: 'cardUpdate', cardId: turn.event.cardId, closedLabel: '已同意 · 张三 · 11月27日' });
        return;
      }
      turn.reply({ kind: 'card', card: { cardId: 'approval:42', title: '容错免责申请待审批', description: '申请人：李四', buttons: [{ key: 'approve', label: '同意', style: 'primary' }] } });
    });
    await h.bot.worker.kick();
    expect(h.fake.calls(FakeDingtalk.paths.registerCallback).map((r) => r.body)).toEqual([
      { callbackRouteKey: 'dandang-card', callbackUrl: 'https://bot.example.cn/dingtalk/card', apiSecret: expect.any(String), forceUpdate: true },
    ]);
    await postRobot(h.url, robotText({ from: 'zhangsan', text: '待办', msgId: 'msgE==', createAt: h.now() }), { timestamp: h.now() });
    await h.settle();
    const outTrackId = outTrackIdOf('approval:42', 'zhangsan');
    const [created] = h.fake.calls(FakeDingtalk.paths.createCard).map((r) => r.body);
    expect(created).toMatchObject({
      outTrackId, openSpaceId: 'dtv1.card//IM_ROBOT.zhangsan', callbackType: 'HTTP', callbackRouteKey: 'dandang-card',
      imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: ROBOT_CODE }, cardData: { cardParamMap: { title: '容错免责申请待审批', button1Key: 'approve' } },
    });

    const click = cardClick({ userId: 'zhangsan', outTrackId, action: 'approve' });
    expect((await postCard(h.url, click, { timestamp: h.now(), signature: 'AAAA' })).status).toBe(401);
    const accepted = await postCard(h.url, click, { timestamp: h.now() });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({});
    await h.settle();
    expect(clicks).toEqual([{ channel: 'dingtalk', channelUserId: 'zhangsan', kind: 'click', cardId: 'approval:42', action: 'approve', sentAt: h.clock.now().toISOString() }]);
    expect(h.fake.cardUpdates()).toEqual([{ outTrackId, cardData: { cardParamMap: { closed: 'true', closedLabel: '已同意 · 张三 · 11月27日' } }, cardUpdateOptions: { updateCardDataByKey: true }, userIdType: 1 }]);
    expect(h.fake.cards.get(outTrackId)?.params).toMatchObject({ closed: 'true', closedLabel: '已同意 · 张三 · 11月27日', button1Text: '同意' });
  });

  it('takes a click DingTalk posts again, re-signed, while it waits as the same click; the button tapped again after it was handled as a new one', async () => {
    const clicks: ClickEvent[] = [];
    let release = () => {};
    let held = Promise.resolve();
    await h.start(async (turn) => {
      if (turn.event.kind !== 'click') return;
      await held;
      clicks.push(turn.event);
      turn.reply({ kind: 'text', text: '名册中仍然没有相应人员' });
    });
    const click = cardClick({ userId: 'zhangsan', outTrackId: outTrackIdOf('blocked-7', 'zhangsan'), action: 'wfs:7:reroute' });
    held = new Promise<void>((resolve) => (release = resolve));
    expect((await postCard(h.url, click, { timestamp: h.now() })).status).toBe(200);
    // DingTalk did not get the answer in time and posts the click again, signed anew.
    h.clock.advance(3_000);
    expect((await postCard(h.url, click, { timestamp: h.now() })).status).toBe(200);
    release();
    await h.settle();
    expect(await h.count('inbox')).toBe(1);
    expect(clicks).toHaveLength(1);
    // Once that tap was handled, tapping the same button again (the roster fixed meanwhile) is a tap of its own.
    h.clock.advance(60_000);
    expect((await postCard(h.url, click, { timestamp: h.now() })).status).toBe(200);
    await h.settle();
    expect(clicks).toHaveLength(2);
    expect(h.fake.sent()).toHaveLength(2);
  });

  it('refuses a click whose action it cannot find with 400 instead of answering 200 and dropping it', async () => {
    await h.start();
    const payload = { type: 'actionCallback', outTrackId: outTrackIdOf('menu-7', 'zhangsan'), userId: 'zhangsan', content: JSON.stringify({ cardPrivateData: { actionIds: ['b1'] } }) };
    const response = await postCard(h.url, payload, { timestamp: h.now() });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/carries no action/);
    expect(await h.count('inbox')).toBe(0);
    expect(h.logLines.some((l) => l.msg === 'request refused' && /carries no action/.test(String(l.reason)))).toBe(true);
  });
});
