import { describe, expect, it } from 'vitest';
import { encrypt, getSignature } from '@wecom/crypto';
import { checkFreshness, decryptPayload, openCallback, verifySignature } from '../../../src/channels/wecom/callbackCrypto';
import { loadWecomConfig } from '../../../src/channels/wecom/config';
import { storedKey } from '../../../src/bot/inbox';
import { toInbound } from '../../../src/channels/wecom/inboundXml';
import { cardIdOf, taskIdOf } from '../../../src/channels/wecom/messages';
import { ConfigError, loadConfig } from '../../../src/config';
import { refusal } from '../../support/errors';
import { cardClickXml, SAMPLE, textXml } from './callbacks';

const keys = { token: SAMPLE.token, encodingAesKey: SAMPLE.encodingAesKey, corpId: SAMPLE.corpId };

describe('WeCom callback crypto, against the official sample vectors', () => {
  it('verifies and opens the URL check and the text message of the documentation', () => {
    const { urlCheck, message } = SAMPLE;
    const checkAt = new Date(Number(urlCheck.timestamp) * 1000);
    expect(
      openCallback(keys, { signature: urlCheck.msgSignature, timestamp: urlCheck.timestamp, nonce: urlCheck.nonce, encrypted: urlCheck.echostr }, checkAt, 300),
    ).toBe(urlCheck.plaintext);
    const plaintext = openCallback(
      keys,
      { signature: message.msgSignature, timestamp: message.timestamp, nonce: message.nonce, encrypted: message.encrypt },
      new Date(Number(message.timestamp) * 1000),
      300,
    );
    expect(plaintext).toContain('<Content><![CDATA[hello]]></Content>');
  });

  it('refuses a changed signature, a wrong key and a foreign receive id', () => {
    const { message } = SAMPLE;
    const signed = { signature: message.msgSignature, timestamp: message.timestamp, nonce: message.nonce, encrypted: message.encrypt };
    expect(refusal(() => verifySignature(keys, { ...signed, nonce: '1' }))).toMatchObject({ status: 401, message: 'bad msg_signature' });
    expect(refusal(() => verifySignature(keys, { ...signed, signature: 'not-hex' })).status).toBe(401);
    const otherKey = { ...keys, encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG' };
    expect(refusal(() => decryptPayload(otherKey, message.encrypt)).status).toBe(401);
    const foreign = encrypt(SAMPLE.encodingAesKey, '<xml/>', 'ww0123456789abcdef');
    expect(refusal(() => decryptPayload(keys, foreign)).message).toMatch(/receive id/);
    expect(refusal(() => decryptPayload(keys, 'AAAA')).status).toBe(401);
    expect(getSignature(SAMPLE.token, message.timestamp, message.nonce, message.encrypt)).toBe(message.msgSignature);
  });

  it('refuses timestamps outside the window unless the window is switched off', () => {
    const now = new Date('2026-11-27T02:00:00.000Z');
    const unix = now.getTime() / 1000;
    expect(() => checkFreshness(String(unix - 300), now, 300)).not.toThrow();
    expect(refusal(() => checkFreshness(String(unix + 301), now, 300)).status).toBe(401);
    expect(() => checkFreshness('1409659813', now, 0)).not.toThrow();
  });
});

describe('WeCom callback XML', () => {
  it('keeps a MsgId above 2^53 exact and maps a text to a text event', () => {
    const inbound = toInbound(textXml({ from: 'zhangsan', text: 'a &amp; b <谈话>', msgId: '9007199254740993123', createTime: 1795744800 }));
    expect(inbound).toEqual({
      event: { channel: 'wecom', channelUserId: 'zhangsan', sentAt: '2026-11-27T02:00:00.000Z', kind: 'text', messageId: '9007199254740993123', text: 'a &amp; b <谈话>' },
      dedupeKey: 'msg:9007199254740993123',
    });
  });

  it('maps a template card click to a click event with a dedupe key of sender, time, event, key and task', () => {
    const inbound = toInbound(cardClickXml({ from: 'lisi', createTime: 1795744800, eventKey: 'approve', taskId: 'tolerance@3a17', responseCode: 'rc-1' }));
    expect(inbound).toEqual({
      event: { channel: 'wecom', channelUserId: 'lisi', sentAt: '2026-11-27T02:00:00.000Z', kind: 'click', cardId: 'tolerance:17', action: 'approve' },
      dedupeKey: 'evt:lisi:1795744800:template_card_event:approve:tolerance@3a17',
      responseCode: 'rc-1',
      taskId: 'tolerance@3a17',
    });
    const long = toInbound(cardClickXml({ from: 'lisi', createTime: 1, eventKey: 'k'.repeat(300), taskId: 't', responseCode: 'r' }));
    // The inbox hashes a key longer than its column rather than cutting it.
    expect(storedKey(long!.dedupeKey, 191)).toMatch(/^evt#[0-9a-f]{64}$/);
  });

  it('acknowledges without an event what the bot does not handle', () => {
    const base = '<ToUserName>c</ToUserName><FromUserName>u</FromUserName><CreateTime>1</CreateTime>';
    expect(toInbound(`<xml>${base}<MsgType>voice</MsgType><MediaId>m</MediaId><MsgId>5</MsgId></xml>`)).toBeUndefined();
    expect(toInbound(`<xml>${base}<MsgType>event</MsgType><Event>enter_agent</Event><EventKey></EventKey></xml>`)).toBeUndefined();
    expect(toInbound(`<xml>${base}<MsgType>image</MsgType><MediaId>media-1</MediaId><PicUrl>http://x</PicUrl><MsgId>6</MsgId></xml>`)?.event).toMatchObject({
      kind: 'attachment',
      mediaKind: 'image',
      mediaId: 'media-1',
    });
  });

  it('decodes the predefined entities and refuses declared ones', () => {
    expect(toInbound('<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>1 &lt; 2 &amp;&#x4e2d;</Content><MsgId>7</MsgId></xml>')?.event).toMatchObject({
      text: '1 < 2 &中',
    });
    expect(refusal(() => toInbound('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>')).status).toBe(400);
    expect(refusal(() => toInbound('<xml><FromUserName>u</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType></xml>')).message).toMatch(/MsgId/);
  });

  it('maps card ids to task ids WeCom accepts, and back', () => {
    for (const cardId of ['menu-wecom-4561255354251345929', 'approval:42', 'a@b c/d', '容错:7']) {
      const taskId = taskIdOf(cardId);
      expect(taskId).toMatch(/^[A-Za-z0-9_@-]{1,128}$/);
      expect(cardIdOf(taskId)).toBe(cardId);
    }
    expect(taskIdOf('menu-wecom-1')).toBe('menu-wecom-1');
  });
});

describe('WeCom settings', () => {
  const full = {
    WECOM_CORP_ID: SAMPLE.corpId,
    WECOM_AGENT_ID: '1000002',
    WECOM_SECRET: 's3cret',
    WECOM_TOKEN: SAMPLE.token,
    WECOM_ENCODING_AES_KEY: SAMPLE.encodingAesKey,
  };

  it('is off without WECOM_CORP_ID and on with defaults when it is set', () => {
    expect(loadConfig({}).wecom).toBeUndefined();
    expect(loadConfig(full).wecom).toEqual({
      corpId: SAMPLE.corpId,
      agentId: 1000002,
      secret: 's3cret',
      token: SAMPLE.token,
      encodingAesKey: SAMPLE.encodingAesKey,
      apiBase: 'https://qyapi.weixin.qq.com',
      maxSkewSeconds: 300,
      apiTimeoutMs: 10_000,
      duplicateCheckSeconds: 1800,
    });
    expect(loadWecomConfig({ ...full, WECOM_API_BASE: 'http://127.0.0.1:9/', WECOM_MAX_SKEW_SECONDS: '0' })).toMatchObject({ apiBase: 'http://127.0.0.1:9', maxSkewSeconds: 0 });
  });

  it('names every bad or missing WECOM_* value, and refuses settings without a CorpID', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig(env);
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems.join('\n');
      }
      throw new Error('expected a ConfigError');
    };
    const text = problems({ ...full, WECOM_ENCODING_AES_KEY: 'short', WECOM_AGENT_ID: 'app', WECOM_SECRET: '' });
    expect(text).toMatch(/WECOM_ENCODING_AES_KEY: must be the 43-character EncodingAESKey/);
    expect(text).toMatch(/WECOM_AGENT_ID/);
    expect(text).toMatch(/WECOM_SECRET: required/);
    expect(problems({ WECOM_SECRET: 'x' })).toMatch(/WECOM_CORP_ID: required when other WECOM_\* settings are set \(WECOM_SECRET\)/);
  });
});
