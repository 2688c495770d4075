import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { CallbackRefused } from '../shared/callbackRefused';

/** DingTalk refuses to count a callback as genuine when its timestamp is more than an hour off. */
export const MAX_SKEW_MS = 3600_000;

/** DingTalk pads to 32-byte blocks, twice AES's: Node's own PKCS#7 check would reject real payloads. */
const PAD_BLOCK = 32;

export interface EventKeys {
  token: string;
  aesKey: string;
  /** What every genuine payload ends with: the AppKey for an internal app's event subscription. */
  receiveId: string;
}

export interface SignedEvent {
  signature: string;
  timestamp: string;
  nonce: string;
  encrypt: string;
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A timestamp further than an hour from now could be a replay. DingTalk writes milliseconds, but
 * its event push documentation also shows seconds, so ten digits are read as seconds.
 */
export function checkFreshness(timestamp: string, now: Date, what: string): void {
  if (!/^\d{10,16}$/.test(timestamp)) throw new CallbackRefused(400, `${what} timestamp is not a unix time`);
  if (!(Math.abs(now.getTime() - timestampMs(timestamp)) <= MAX_SKEW_MS)) throw new CallbackRefused(401, `${what} timestamp is more than an hour away from now`);
}

/** A checked timestamp header as milliseconds (ten digits are seconds). */
export function timestampMs(timestamp: string): number {
  return timestamp.length === 10 ? Number(timestamp) * 1000 : Number(timestamp);
}

/** msg_signature: SHA-1 hex over the sorted Token, timestamp, nonce and ciphertext. */
export function eventSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

function aesKeyOf(keys: EventKeys): Buffer {
  return Buffer.from(`${keys.aesKey}=`, 'base64');
}

/** Plaintext layout: 16 random bytes, the message length (4 bytes, big-endian), message, receive id. */
export function encryptEvent(keys: EventKeys, plaintext: string, random: Buffer = randomBytes(16)): string {
  const message = Buffer.from(plaintext, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(message.length);
  const body = Buffer.concat([random, length, message, Buffer.from(keys.receiveId, 'utf8')]);
  const padding = PAD_BLOCK - (body.length % PAD_BLOCK);
  const key = aesKeyOf(keys);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(padding, padding)])), cipher.final()]).toString('base64');
}

export function decryptEvent(keys: EventKeys, encrypt: string): string {
  const unreadable = () => new CallbackRefused(401, 'payload cannot be decrypted with the configured aes_key');
  const key = aesKeyOf(keys);
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    plain = Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
  } catch {
    throw unreadable();
  }
  const padding = plain.at(-1) ?? 0;
  if (padding < 1 || padding > PAD_BLOCK || plain.length < 20 + padding || !plain.subarray(plain.length - padding).every((b) => b === padding)) {
    throw unreadable();
  }
  const body = plain.subarray(0, plain.length - padding);
  const length = body.readUInt32BE(16);
  if (20 + length > body.length) throw unreadable();
  if (!sameText(body.subarray(20 + length).toString('utf8'), keys.receiveId)) {
    throw new CallbackRefused(401, 'receive id of the payload is not the configured AppKey');
  }
  return body.subarray(20, 20 + length).toString('utf8');
}

/** Verifies, checks the age of and decrypts one event subscription push. */
export function openEvent(keys: EventKeys, event: SignedEvent, now: Date): string {
  if (!/^[0-9a-f]{40}$/i.test(event.signature)) throw new CallbackRefused(401, 'msg_signature is not a SHA-1 hex digest');
  if (!sameText(event.signature.toLowerCase(), eventSignature(keys.token, event.timestamp, event.nonce, event.encrypt))) {
    throw new CallbackRefused(401, 'bad msg_signature');
  }
  checkFreshness(event.timestamp, now, 'event');
  return decryptEvent(keys, event.encrypt);
}

/** The answer DingTalk expects to every push: an encrypted, signed "success". */
export function sealReply(keys: EventKeys, timestamp: string, nonce: string): { msg_signature: string; timeStamp: string; nonce: string; encrypt: string } {
  const encrypt = encryptEvent(keys, 'success');
  return { msg_signature: eventSignature(keys.token, timestamp, nonce, encrypt), timeStamp: timestamp, nonce, encrypt };
}

/** The robot callback's `sign` header: Base64(HmacSHA256(appSecret, timestamp + "\n" + appSecret)). */
export function robotSign(timestamp: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(`${timestamp}\n${appSecret}`).digest('base64');
}

export function verifyRobotCallback(timestamp: string | undefined, sign: string | undefined, appSecret: string, now: Date): void {
  if (!timestamp || !sign) throw new CallbackRefused(401, 'robot callback lacks the timestamp or sign header');
  checkFreshness(timestamp, now, 'robot callback');
  if (!sameText(sign, robotSign(timestamp, appSecret))) throw new CallbackRefused(401, 'bad robot callback sign');
}

/** x-ddpaas-signature of an HTTP card callback: Base64(HmacSHA256(apiSecret, timestamp)). */
export function cardCallbackSignature(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(timestamp).digest('base64');
}

export function verifyCardCallback(timestamp: string | undefined, signature: string | undefined, secret: string, now: Date): void {
  if (!timestamp || !signature) throw new CallbackRefused(401, 'card callback lacks the x-ddpaas-signature headers');
  checkFreshness(timestamp, now, 'card callback');
  if (!sameText(signature, cardCallbackSignature(secret, timestamp))) throw new CallbackRefused(401, 'bad card callback signature');
}
