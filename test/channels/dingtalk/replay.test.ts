import { describe, expect, it } from 'vitest';
import type { TurnHandler } from '../../../src/bot/turn';
import { cardCallbackSignature, robotSign } from '../../../src/channels/dingtalk/callbackCrypto';
import { stacks } from '../../support/channelHarness';
import { createTestBot } from '../../support/fixtures';
import { serve } from '../../support/http';
import { APP_SECRET, CARD_SECRET, cardClick, dingtalkEnv, robotText } from './callbacks';
import { dingtalkHarness } from './harness';

/**
 * The robot `sign` and the card `x-ddpaas-signature` cover only the timestamp. Someone who saw one
 * signed request (a log, a proxy) must not be able to reuse its headers within the hour with a body
 * of their own: another sender, a new msgId, a card action. Each (timestamp, signature) pair is
 * taken once, by whichever instance gets it first; DingTalk posting the very same request again
 * still passes and is recognised as the duplicate it is.
 */
describe.each(stacks)('replayed DingTalk signatures on $database.name + $state.name', (stack) => {
  const h = dingtalkHarness(stack);
  const handled: string[] = [];
  const handler: TurnHandler = async (turn) => {
    handled.push(`${turn.event.channelUserId}:${turn.event.kind === 'click' ? turn.event.action : turn.event.kind === 'text' ? turn.event.text : ''}`);
  };
  const post = (url: string, path: 'robot' | 'card', headers: Record<string, string>, body: unknown) =>
    fetch(`${url}/dingtalk/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('refuses a captured robot signature with another body, on any instance, and records nothing for it', async () => {
    handled.length = 0;
    await h.start(handler);
    const other = await createTestBot({ db: h.db, clock: h.clock, state: h.bot.state, handler }, dingtalkEnv(h.fake));
    const otherServer = await serve(other.app);
    const timestamp = String(h.now());
    const headers = { timestamp, sign: robotSign(timestamp, APP_SECRET) };
    const genuine = robotText({ from: 'zhangsan', text: '申请容错', msgId: 'msgR1==', createAt: h.now() });

    expect((await post(h.url, 'robot', headers, genuine)).status).toBe(200);
    h.clock.advance(30 * 60_000);
    const forgeries = [
      { ...genuine, senderStaffId: 'lisi', senderNick: 'lisi' },
      { ...genuine, msgId: 'msgR2==' },
      { ...genuine, text: { content: '撤回 RC2026-0001' } },
    ];
    for (const [i, forged] of forgeries.entries()) {
      const response = await post(i % 2 === 0 ? otherServer.url : h.url, 'robot', headers, forged);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: string }).error).toMatch(/already used for another request/);
    }
    // DingTalk's own redelivery of the same request is still a 200, and a duplicate.
    expect((await post(otherServer.url, 'robot', headers, genuine)).status).toBe(200);
    await Promise.all([h.settle(), other.worker.kick()]);
    await otherServer.close();
    await other.worker.stop();
    expect(await h.count('inbox')).toBe(1);
    expect(handled).toEqual(['zhangsan:申请容错']);
  });

  it('refuses a captured card-click signature with another action or another clicker', async () => {
    handled.length = 0;
    await h.start(handler);
    const timestamp = String(h.now());
    const headers = { 'x-ddpaas-signature-timestamp': timestamp, 'x-ddpaas-signature': cardCallbackSignature(CARD_SECRET, timestamp) };
    const genuine = cardClick({ userId: 'zhangsan', outTrackId: 'wfs-9~0123456789ab', action: 'wfs:9:reject' });
    expect((await post(h.url, 'card', headers, genuine)).status).toBe(200);
    expect((await post(h.url, 'card', headers, cardClick({ userId: 'zhangsan', outTrackId: 'wfs-9~0123456789ab', action: 'wfs:9:approve' }))).status).toBe(401);
    expect((await post(h.url, 'card', headers, cardClick({ userId: 'lisi', outTrackId: 'wfs-9~0123456789ab', action: 'wfs:9:reject' }))).status).toBe(401);
    // DingTalk's own redelivery passes (and, the tap being handled by now, meets the card's state check).
    expect((await post(h.url, 'card', headers, genuine)).status).toBe(200);
    await h.settle();
    expect(handled.length).toBeGreaterThanOrEqual(1);
    expect(new Set(handled)).toEqual(new Set(['zhangsan:wfs:9:reject']));
  });
});
