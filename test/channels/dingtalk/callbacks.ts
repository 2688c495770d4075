import { cardCallbackSignature, encryptEvent, eventSignature, robotSign } from '../../../src/channels/dingtalk/callbackCrypto';
import type { FakeDingtalk } from '../../support/fakeDingtalk';

/**
 * DingTalk's published callback-crypto vectors. `official` is the local debugging example of the
 * documentation (回调接口本地调试方案) and of the open-dingtalk/DingTalk-Callback-Crypto samples;
 * `checkUrl` the check_url handshake in that repository's DingCallbackCrypto3.py.
 */
export const SAMPLE = {
  official: {
    token: '123456',
    aesKey: '4g5j64qlyl3zvetqxz5jiocdr586fn2zvjpa8zls3ij',
    receiveId: 'suite4xxxxxxxxxxxxxxx',
    signature: '5a65ceeef9aab2d149439f82dc191dd6c5cbe2c0',
    timestamp: '1445827045067',
    nonce: 'nEXhMP4r',
    encrypt:
      '1a3NBxmCFwkCJvfoQ7WhJHB+iX3qHPsc9JbaDznE1i03peOk1LaOQoRz3+nlyGNhwmwJ3vDMG+OzrHMeiZI7gTRWVdUBmfxjZ8Ej23JVYa9VrYeJ5as7XM/ZpulX8NEQis44w53h1qAgnC3PRzM7Zc/D6Ibr0rgUathB6zRHP8PYrfgnNOS9PhSBdHlegK+AGGanfwjXuQ9+0pZcy0w9lQ==',
    plaintext: '{"EventType":"check_create_suite_url","Random":"LPIdSnlF","TestSuiteKey":"suite4xxxxxxxxxxxxxxx"}',
  },
  checkUrl: {
    token: 'mryue',
    aesKey: 'Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7',
    receiveId: 'ding6ccabc44d2c8d38b',
    signature: '03044561471240d4a14bb09372dfcfd4fd0e40cb',
    timestamp: '1608001896814',
    nonce: 'WL4PK6yA',
    encrypt: '0vJiX6vliEpwG3U45CtXqi+m8PXbQRARJ8p8BbDuD1EMTDf0jKpQ79QS93qEk7XHpP6u+oTTrd15NRPvNvmBKyDCYxxOK+HZeKju4yhELOFchzNukR+t8SB/qk4ROMu3',
    plaintext: '{"EventType":"check_url"}',
  },
};

export const APP_KEY = 'ding6ccabc44d2c8d38b';
export const APP_SECRET = 'fake-dingtalk-app-secret';
export const ROBOT_CODE = 'dingrobotfake0001';
export const TEMPLATE_ID = 'approval-card-fake.schema';
export const CARD_SECRET = 'fake-card-callback-secret-0001';
/** The event subscription of the check_url vector, whose receive id is this app's key. */
export const EVENT_KEYS = { token: SAMPLE.checkUrl.token, aesKey: SAMPLE.checkUrl.aesKey, receiveId: APP_KEY };

/** The DINGTALK_* settings of a bot in HTTP mode that calls the fake API. */
export function dingtalkEnv(fake: FakeDingtalk, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    DINGTALK_APP_KEY: APP_KEY,
    DINGTALK_APP_SECRET: APP_SECRET,
    DINGTALK_ROBOT_CODE: ROBOT_CODE,
    DINGTALK_CARD_TEMPLATE_ID: TEMPLATE_ID,
    DINGTALK_TOKEN: EVENT_KEYS.token,
    DINGTALK_AES_KEY: EVENT_KEYS.aesKey,
    DINGTALK_CARD_CALLBACK_URL: 'https://bot.example.cn/dingtalk/card',
    DINGTALK_CARD_CALLBACK_SECRET: CARD_SECRET,
    DINGTALK_API_BASE: fake.url,
    DINGTALK_OAPI_BASE: fake.url,
    DINGTALK_API_TIMEOUT_MS: '1000',
    ...extra,
  };
}

interface Sender {
  from: string;
  msgId: string;
  createAt: number;
}

function robotBase(p: Sender): Record<string, unknown> {
  return {
    conversationId: `cid-${p.from}`, conversationType: '1', chatbotUserId: '$:LWCP_v1:$bot', msgId: p.msgId, senderNick: p.from,
    isAdmin: false, senderStaffId: p.from, senderId: `$:LWCP_v1:$${p.from}`, createAt: p.createAt, robotCode: ROBOT_CODE,
    sessionWebhook: 'https://oapi.dingtalk.com/robot/sendBySession?session=fake', sessionWebhookExpiredTime: p.createAt + 5_400_000,
  };
}

export function robotText(p: Sender & { text: string }): Record<string, unknown> {
  return { ...robotBase(p), msgtype: 'text', text: { content: p.text } };
}

export function robotFile(p: Sender & { fileName: string; downloadCode: string }): Record<string, unknown> {
  return { ...robotBase(p), msgtype: 'file', content: { downloadCode: p.downloadCode, fileName: p.fileName } };
}

export function robotPicture(p: Sender & { downloadCode: string }): Record<string, unknown> {
  return { ...robotBase(p), msgtype: 'picture', content: { downloadCode: p.downloadCode, pictureDownloadCode: `pic-${p.downloadCode}` } };
}

/** Posts a robot message signed as DingTalk signs it, with `sign` to override the signature. */
export function postRobot(baseUrl: string, payload: unknown, p: { timestamp: number; sign?: string }): Promise<Response> {
  const timestamp = String(p.timestamp);
  return fetch(`${baseUrl}/dingtalk/robot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', timestamp, sign: p.sign ?? robotSign(timestamp, APP_SECRET) },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

export function cardClick(p: { userId: string; outTrackId: string; action: string }): Record<string, unknown> {
  return {
    type: 'actionCallback', outTrackId: p.outTrackId, corpId: 'dingcorpfake', userId: p.userId,
    content: JSON.stringify({ cardPrivateData: { actionIds: ['button1'], params: { action: p.action } } }),
  };
}

export function postCard(baseUrl: string, payload: unknown, p: { timestamp: number; signature?: string }): Promise<Response> {
  const timestamp = String(p.timestamp);
  return fetch(`${baseUrl}/dingtalk/card`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-ddpaas-signature-timestamp': timestamp, 'x-ddpaas-signature': p.signature ?? cardCallbackSignature(CARD_SECRET, timestamp) },
    body: JSON.stringify(payload),
  });
}

/** Encrypts and signs an event as DingTalk pushes it to this app. */
export function sealEvent(plaintext: string, p: { timestamp: number; nonce?: string; receiveId?: string }): { query: string; body: string } {
  const encrypt = encryptEvent({ ...EVENT_KEYS, receiveId: p.receiveId ?? APP_KEY }, plaintext);
  const nonce = p.nonce ?? 'n0nce123';
  const signature = eventSignature(EVENT_KEYS.token, String(p.timestamp), nonce, encrypt);
  return { query: `msg_signature=${signature}&timestamp=${p.timestamp}&nonce=${nonce}`, body: JSON.stringify({ encrypt }) };
}

export function postEvent(baseUrl: string, sealed: { query: string; body: string }): Promise<Response> {
  return fetch(`${baseUrl}/dingtalk/events?${sealed.query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: sealed.body });
}
