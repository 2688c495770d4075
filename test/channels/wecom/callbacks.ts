import { randomBytes } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';
import type { FakeWecom } from '../../support/fakeWecom';

/**
 * The sample values of WeCom's crypto documentation (加解密方案说明 and the WXBizMsgCrypt samples):
 * the Token, CorpID and EncodingAESKey, a URL check and an encrypted text message signed with them.
 */
export const SAMPLE = {
  token: 'QDG6eK',
  corpId: 'wx5823bf96d3bd56c7',
  encodingAesKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  urlCheck: {
    msgSignature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    plaintext: '1616140317555161061',
  },
  message: {
    msgSignature: '477715d11cdb4164915debcba66cb864d751f3e6',
    timestamp: '1409659813',
    nonce: '1372623149',
    encrypt:
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==',
    /** What the ciphertext holds: a text "hello" from member "mycreate", MsgId above 2^53. */
    from: 'mycreate',
    msgId: '4561255354251345929',
  },
};

export const AGENT_ID = 218;
export const SECRET = 'fake-app-secret';

/** The WECOM_* settings of a bot that speaks the sample keys and calls the fake API. */
export function wecomEnv(fake: FakeWecom, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    WECOM_CORP_ID: SAMPLE.corpId,
    WECOM_AGENT_ID: String(AGENT_ID),
    WECOM_SECRET: SECRET,
    WECOM_TOKEN: SAMPLE.token,
    WECOM_ENCODING_AES_KEY: SAMPLE.encodingAesKey,
    WECOM_API_BASE: fake.url,
    WECOM_API_TIMEOUT_MS: '1000',
    ...extra,
  };
}

export function textXml(p: { from: string; text: string; msgId: string; createTime: number }): string {
  return (
    `<xml><ToUserName><![CDATA[${SAMPLE.corpId}]]></ToUserName><FromUserName><![CDATA[${p.from}]]></FromUserName>` +
    `<CreateTime>${p.createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${p.text}]]></Content>` +
    `<MsgId>${p.msgId}</MsgId><AgentID>${AGENT_ID}</AgentID></xml>`
  );
}

export function cardClickXml(p: { from: string; createTime: number; eventKey: string; taskId: string; responseCode: string }): string {
  return (
    `<xml><ToUserName><![CDATA[${SAMPLE.corpId}]]></ToUserName><FromUserName><![CDATA[${p.from}]]></FromUserName>` +
    `<CreateTime>${p.createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>` +
    `<EventKey><![CDATA[${p.eventKey}]]></EventKey><TaskId><![CDATA[${p.taskId}]]></TaskId>` +
    `<CardType><![CDATA[button_interaction]]></CardType><ResponseCode><![CDATA[${p.responseCode}]]></ResponseCode>` +
    `<AgentID>${AGENT_ID}</AgentID></xml>`
  );
}

export interface Sealed {
  query: string;
  body: string;
}

/** Encrypts and signs a plaintext as WeCom does, for the sample corp unless told otherwise. */
export function seal(plaintext: string, p: { timestamp: number | string; receiveId?: string; nonce?: string }): Sealed {
  const encrypted = encrypt(SAMPLE.encodingAesKey, plaintext, p.receiveId ?? SAMPLE.corpId);
  const nonce = p.nonce ?? String(randomBytes(4).readUInt32BE(0));
  const signature = getSignature(SAMPLE.token, p.timestamp, nonce, encrypted);
  return {
    query: `msg_signature=${signature}&timestamp=${p.timestamp}&nonce=${nonce}`,
    body: envelope(encrypted),
  };
}

export function envelope(encrypted: string): string {
  return `<xml><ToUserName><![CDATA[${SAMPLE.corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt><AgentID><![CDATA[${AGENT_ID}]]></AgentID></xml>`;
}

export function postCallback(baseUrl: string, sealed: Sealed): Promise<Response> {
  return fetch(`${baseUrl}/wecom/callback?${sealed.query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: sealed.body });
}
