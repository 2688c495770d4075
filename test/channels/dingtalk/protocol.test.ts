import { describe, expect, it } from 'vitest';
import { decryptEvent, encryptEvent, eventSignature, openEvent, robotSign, sealReply, verifyCardCallback, verifyRobotCallback } from '../../../src/channels/dingtalk/callbackCrypto';
import { loadDingtalkConfig } from '../../../src/channels/dingtalk/config';
import { clickIdentity } from '../../../src/channels/dingtalk/clickIdentity';
import { cardInbound, robotInbound } from '../../../src/channels/dingtalk/inbound';
import { ManualClock } from '../../../src/clock';
import { MemoryStateStore } from '../../../src/state/memoryStateStore';
import { cardIdOf, cardParams, outTrackIdOf } from '../../../src/channels/dingtalk/messages';
import { ConfigError } from '../../../src/config';
import { refusal } from '../../support/errors';
import { APP_SECRET, cardClick, robotFile, robotPicture, robotText, SAMPLE } from './callbacks';

const keysOf = (v: typeof SAMPLE.official) => ({ token: v.token, aesKey: v.aesKey, receiveId: v.receiveId });
const at = (timestamp: string) => new Date(Number(timestamp));

describe('DingTalk callback crypto, against the published sample vectors', () => {
  it('verifies and opens the documentation’s debugging example and the check_url sample', () => {
    for (const v of [SAMPLE.official, SAMPLE.checkUrl]) {
      expect(eventSignature(v.token, v.timestamp, v.nonce, v.encrypt)).toBe(v.signature);
      expect(openEvent(keysOf(v), v, at(v.timestamp))).toBe(v.plaintext);
    }
  });

  it('strips DingTalk’s 32-byte padding, which Node’s own 16-byte PKCS#7 check refuses', () => {
    // The check_url sample ends in 31 bytes of padding: more than an AES block.
    expect(decryptEvent(keysOf(SAMPLE.checkUrl), SAMPLE.checkUrl.encrypt)).toBe('{"EventType":"check_url"}');
    for (const length of [0, 1, 11, 12, 13, 44, 45, 1000]) {
      const text = '容'.repeat(length);
      const sealed = encryptEvent(keysOf(SAMPLE.official), text);
      expect(Buffer.from(sealed, 'base64').length % 32).toBe(0);
      expect(decryptEvent(keysOf(SAMPLE.official), sealed)).toBe(text);
    }
  });

  it('seals the encrypted, signed “success” DingTalk expects as every answer', () => {
    const keys = keysOf(SAMPLE.checkUrl);
    const reply = sealReply(keys, '1608001896900', 'abcdef');
    expect(reply).toMatchObject({ timeStamp: '1608001896900', nonce: 'abcdef' });
    expect(reply.msg_signature).toBe(eventSignature(keys.token, reply.timeStamp, reply.nonce, reply.encrypt));
    expect(decryptEvent(keys, reply.encrypt)).toBe('success');
  });

  it('refuses a changed signature, a wrong key, a foreign receive id and a stale timestamp', () => {
    const v = SAMPLE.official;
    expect(refusal(() => openEvent(keysOf(v), { ...v, nonce: 'other' }, at(v.timestamp))).message).toBe('bad msg_signature');
    expect(refusal(() => openEvent({ ...keysOf(v), aesKey: SAMPLE.checkUrl.aesKey }, v, at(v.timestamp))).status).toBe(401);
    expect(refusal(() => openEvent({ ...keysOf(v), receiveId: 'dingother' }, v, at(v.timestamp))).message).toMatch(/receive id/);
    expect(refusal(() => openEvent(keysOf(v), v, new Date(Number(v.timestamp) + 3_600_001))).message).toMatch(/more than an hour/);
  });
});

describe('DingTalk robot and card callback signatures', () => {
  const now = new Date('2026-11-27T02:00:00.000Z');
  const timestamp = String(now.getTime() - 3_599_000);

  it('takes a robot sign of HmacSHA256(timestamp + "\\n" + appSecret) within the hour, and nothing else', () => {
    expect(() => verifyRobotCallback(timestamp, robotSign(timestamp, APP_SECRET), APP_SECRET, now)).not.toThrow();
    expect(refusal(() => verifyRobotCallback(timestamp, robotSign(timestamp, 'other'), APP_SECRET, now)).message).toBe('bad robot callback sign');
    const stale = String(now.getTime() - 3_600_001);
    expect(refusal(() => verifyRobotCallback(stale, robotSign(stale, APP_SECRET), APP_SECRET, now)).message).toMatch(/more than an hour/);
    expect(refusal(() => verifyRobotCallback(undefined, 'x', APP_SECRET, now)).status).toBe(401);
    expect(refusal(() => verifyRobotCallback('yesterday', 'x', APP_SECRET, now)).status).toBe(400);
    const seconds = String(Math.floor(now.getTime() / 1000));
    expect(() => verifyRobotCallback(seconds, robotSign(seconds, APP_SECRET), APP_SECRET, now)).not.toThrow();
  });

  it('checks a card callback’s x-ddpaas-signature against the registered secret', () => {
    expect(refusal(() => verifyCardCallback(timestamp, 'AAAA', 'secret-of-the-route-key', now)).message).toBe('bad card callback signature');
  });
});

describe('DingTalk messages into events and cards into template data', () => {
  const sender = { from: 'zhangsan', msgId: 'msgQ1w2e3r4==', createAt: Date.parse('2026-11-27T02:00:00.000Z') };

  it('maps text, file and picture messages, deduplicated on msgId, and ignores the rest', () => {
    expect(robotInbound(robotText({ ...sender, text: '  申请容错 ' }))).toEqual({
      event: { channel: 'dingtalk', channelUserId: 'zhangsan', sentAt: '2026-11-27T02:00:00.000Z', messageId: sender.msgId, kind: 'text', text: '申请容错' },
      dedupeKey: `msg:${sender.msgId}`,
    });
    expect(robotInbound(robotFile({ ...sender, fileName: '会议纪要.pdf', downloadCode: 'dl-1' }))?.event).toMatchObject({ kind: 'attachment', mediaKind: 'file', mediaId: 'dl-1', fileName: '会议纪要.pdf' });
    expect(robotInbound(robotPicture({ ...sender, downloadCode: 'dl-2' }))?.event).toMatchObject({ kind: 'attachment', mediaKind: 'image', mediaId: 'dl-2' });
    const rich = { ...robotText({ ...sender, text: '' }), msgtype: 'richText', content: { richText: [{ text: '见附图' }, { type: 'picture', downloadCode: 'x' }] } };
    expect(robotInbound(rich)?.event).toMatchObject({ kind: 'text', text: '见附图' });
    expect(robotInbound({ ...robotText({ ...sender, text: '' }), msgtype: 'audio', content: { downloadCode: 'x' } })).toBeUndefined();
    expect(robotInbound({ ...robotText({ ...sender, text: '你好' }), senderStaffId: undefined })).toBeUndefined();
    expect(refusal(() => robotInbound({ text: { content: 'no id' } })).status).toBe(400);
  });

  it('turns a click into who clicked, which card and which button', () => {
    const outTrackId = outTrackIdOf('wf-st7', 'liuyang');
    expect(cardIdOf(outTrackId)).toBe('wf-st7');
    expect(outTrackIdOf('wf-st7', 'fengxin')).not.toBe(outTrackId);
    const inbound = cardInbound(cardClick({ userId: 'fengxin', outTrackId, action: 'wfs:7:approve' }), new Date('2026-11-27T02:00:00.000Z'));
    expect(inbound?.event).toEqual({ kind: 'click', channel: 'dingtalk', channelUserId: 'fengxin', sentAt: '2026-11-27T02:00:00.000Z', cardId: 'wf-st7', action: 'wfs:7:approve' });
    expect(cardInbound({ ...cardClick({ userId: 'a', outTrackId, action: 'x' }), type: 'dataSourceCallback' }, new Date())).toBeUndefined();
  });

  it('identifies a click by card, clicker and button: a delivery while that tap waits in the inbox is the same tap, one after it was handled a new one', async () => {
    const state = new MemoryStateStore(new ManualClock(new Date('2026-11-27T02:00:00.000Z')));
    const waiting = new Set<string>();
    const pending = async (key: string) => waiting.has(key);
    const outTrackId = outTrackIdOf('wf-st7', 'liuyang');
    const click = cardInbound(cardClick({ userId: 'fengxin', outTrackId, action: 'wfs:7:setup' }), new Date())!;
    const first = await clickIdentity(state, click, pending);
    expect(first).toMatch(new RegExp(`^card:${outTrackId}:fengxin:wfs:7:setup:[0-9a-f]{12}$`));
    waiting.add(first);
    // DingTalk's retry, re-signed, before the bot handled the tap: the same tap.
    expect(await clickIdentity(state, click, pending)).toBe(first);
    // Another button, or another clicker, is another tap.
    const other = cardInbound(cardClick({ userId: 'fengxin', outTrackId, action: 'wfs:7:approve' }), new Date())!;
    expect(await clickIdentity(state, other, pending)).not.toBe(first);
    // Handled: the same button tapped again (重新分派 once the roster is fixed) is a new tap.
    waiting.delete(first);
    const again = await clickIdentity(state, click, pending);
    expect(again).not.toBe(first);
    waiting.add(again);
    expect(await clickIdentity(state, click, pending)).toBe(again);
  });

  it('reads the button’s action beside cardPrivateData too, as a DingTalk tutorial shows it, and refuses a click without one', () => {
    const outTrackId = outTrackIdOf('wf-st7', 'liuyang');
    const beside = { type: 'actionCallback', outTrackId, userId: 'fengxin', content: JSON.stringify({ cardPrivateData: { actionIds: ['button1'] }, params: { action: 'wfs:7:return' } }) };
    expect(cardInbound(beside, new Date())?.event.action).toBe('wfs:7:return');
    const asValue = { type: 'actionCallback', outTrackId, userId: 'fengxin', value: JSON.stringify({ cardPrivateData: { params: { action: 'wfs:7:approve' } } }) };
    expect(cardInbound(asValue, new Date())?.event.action).toBe('wfs:7:approve');
    const none = { type: 'actionCallback', outTrackId, userId: 'fengxin', content: JSON.stringify({ cardPrivateData: { actionIds: ['button1'], params: {} } }) };
    expect(refusal(() => cardInbound(none, new Date()))).toMatchObject({ status: 400, message: expect.stringMatching(/carries no action/) });
  });

  it('fills the template’s slots, keeps each value within 1 KB, and refuses a seventh button', () => {
    const params = cardParams({
      cardId: 'wf-st7', title: '容错免责申请待您审批', description: '长'.repeat(400), fields: [{ label: '申请人', value: '杨帆' }],
      buttons: [{ key: 'wfs:7:approve', label: '同意', style: 'primary' }, { key: 'wfs:7:return', label: '退回补充' }],
    });
    expect(params).toMatchObject({ title: '容错免责申请待您审批', fields: '**申请人**：杨帆', closed: 'false', button1Text: '同意', button1Key: 'wfs:7:approve', button1Style: 'primary', button2Style: 'default', button3Visible: 'false' });
    expect(Buffer.byteLength(params.description)).toBeLessThanOrEqual(1024);
    expect(params.description.endsWith('…')).toBe(true);
    const seven = Array.from({ length: 7 }, (_, i) => ({ key: `k${i}`, label: `选项${i}` }));
    expect(() => cardParams({ cardId: 'x', title: '选择', buttons: seven })).toThrow(/at most 6 buttons/);
  });
});

describe('DingTalk settings', () => {
  const base = { DINGTALK_APP_KEY: 'dingabc', DINGTALK_APP_SECRET: 's', DINGTALK_CARD_TEMPLATE_ID: 'tpl.schema' };

  it('is off without an app key, and refuses a half-done configuration', () => {
    expect(loadDingtalkConfig({})).toBeUndefined();
    expect(() => loadDingtalkConfig({ DINGTALK_APP_SECRET: 's' })).toThrow(ConfigError);
    expect(() => loadDingtalkConfig({ ...base, DINGTALK_MODE: 'stream', DINGTALK_TOKEN: 't' })).toThrow(/both or neither/);
    expect(() => loadDingtalkConfig(base)).toThrow(/required in http mode/);
    expect(() => loadDingtalkConfig({ ...base, DINGTALK_MODE: 'stream', DINGTALK_AES_KEY: 'short', DINGTALK_TOKEN: 't' })).toThrow(/43-character/);
  });

  it('defaults the robot code to the app key and the hosts to DingTalk’s', () => {
    expect(loadDingtalkConfig({ ...base, DINGTALK_MODE: 'stream' })).toMatchObject({
      mode: 'stream', robotCode: 'dingabc', apiBase: 'https://api.dingtalk.com', oapiBase: 'https://oapi.dingtalk.com', cardCallback: undefined,
    });
  });
});
