import { timingSafeEqual } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';
import { CallbackRefused } from '../shared/callbackRefused';

export { CallbackRefused };

export interface CallbackKeys {
  token: string;
  encodingAesKey: string;
  /** The receive id every genuine payload ends with: the CorpID for a self-built app. */
  corpId: string;
}

export interface SignedPayload {
  signature: string;
  timestamp: string;
  nonce: string;
  encrypted: string;
}

const SIGNATURE = /^[0-9a-f]{40}$/i;

/** msg_signature is SHA-1 over the sorted token, timestamp, nonce and ciphertext. */
export function verifySignature(keys: CallbackKeys, payload: SignedPayload): void {
  if (!SIGNATURE.test(payload.signature)) throw new CallbackRefused(401, 'msg_signature is not a SHA-1 hex digest');
  const expected = Buffer.from(getSignature(keys.token, payload.timestamp, payload.nonce, payload.encrypted), 'hex');
  const given = Buffer.from(payload.signature, 'hex');
  if (!timingSafeEqual(expected, given)) throw new CallbackRefused(401, 'bad msg_signature');
}

/**
 * Decrypts and checks the receive id. @wecom/crypto neither verifies the id nor throws on a wrong
 * key (it returns garbage), so the id check is what proves the payload was meant for this corp.
 */
export function decryptPayload(keys: CallbackKeys, encrypted: string): string {
  let opened: { message: string; id: string };
  try {
    opened = decrypt(keys.encodingAesKey, encrypted);
  } catch {
    throw new CallbackRefused(401, 'payload cannot be decrypted with the configured EncodingAESKey');
  }
  const id = Buffer.from(opened.id);
  const corpId = Buffer.from(keys.corpId);
  if (id.length !== corpId.length || !timingSafeEqual(id, corpId)) {
    throw new CallbackRefused(401, 'receive id of the payload is not the configured CorpID');
  }
  return opened.message;
}

/** Refuses timestamps too far from now, so a captured callback cannot be replayed later. */
export function checkFreshness(timestamp: string, now: Date, maxSkewSeconds: number): void {
  if (maxSkewSeconds === 0) return;
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (!(skew <= maxSkewSeconds)) throw new CallbackRefused(401, `timestamp is more than ${maxSkewSeconds} s away from now`);
}

export function openCallback(keys: CallbackKeys, payload: SignedPayload, now: Date, maxSkewSeconds: number): string {
  verifySignature(keys, payload);
  checkFreshness(payload.timestamp, now, maxSkewSeconds);
  return decryptPayload(keys, payload.encrypted);
}
