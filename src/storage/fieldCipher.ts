import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync, type KeyObject } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { isDataSource, type Executor } from './executor';

/**
 * Confidential text (talk records, 申请事由, 六看 findings, opinions, draft copies) is stored as
 * AES-256-GCM envelopes: `enc:1:<key id>:<iv>:<tag>:<ciphertext>`, the last three base64. The key
 * id says which key of the ring sealed the value, so keys rotate without a flag day: new writes use
 * the current key, older values open with theirs until `npm run data:rekey` reseals them.
 *
 * The column's name is the additional authenticated data: a summary copied into another column
 * (or another table) no longer opens. A value without the prefix is plaintext written before
 * encryption existed; it is read as it is until rekey seals it.
 */
export const ENVELOPE = /^enc:1:([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/]{16}):([A-Za-z0-9+/]{22}==):([A-Za-z0-9+/]*={0,2})$/;
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export class FieldKeyError extends Error {}

export interface KeyRing {
  /** The key new values are sealed with. */
  current: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** 12-byte GCM nonces cut from one buffer of random bytes, refilled once spent: one draw of the system's random source per 256 seals. */
class Nonces {
  private readonly pool = Buffer.alloc(12 * 256);
  private offset = this.pool.length;

  next(): Buffer {
    if (this.offset === this.pool.length) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const nonce = Buffer.from(this.pool.subarray(this.offset, this.offset + 12));
    this.offset += 12;
    return nonce;
  }
}

export class FieldCipher {
  /** The ring's keys imported once, not on every seal and open. */
  private readonly keys: ReadonlyMap<string, KeyObject>;
  private readonly nonces = new Nonces();

  constructor(private readonly ring: KeyRing) {
    if (!ring.keys.has(ring.current)) throw new FieldKeyError(`当前密钥 ${ring.current} 不在密钥环中 (the current key is not in the ring)`);
    for (const [kid, key] of ring.keys) {
      if (!KEY_ID.test(kid)) throw new FieldKeyError(`密钥编号 ${kid} 不合规 (key ids are 1–32 letters, digits, _ or -)`);
      if (key.length !== 32) throw new FieldKeyError(`密钥 ${kid} 应为 32 字节 (AES-256 needs a 32-byte key, got ${key.length})`);
    }
    this.keys = new Map([...ring.keys].map(([kid, key]) => [kid, createSecretKey(key)]));
  }

  get currentKeyId(): string {
    return this.ring.current;
  }

  seal(plain: string, column: string): string;
  seal(plain: string | null, column: string): string | null;
  seal(plain: string | null, column: string): string | null {
    if (plain === null) return null;
    const iv = this.nonces.next();
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.ring.current)!, iv);
    cipher.setAAD(Buffer.from(column));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `enc:1:${this.ring.current}:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${body.toString('base64')}`;
  }

  open(stored: string, column: string): string;
  open(stored: string | null, column: string): string | null;
  open(stored: string | null, column: string): string | null {
    if (stored === null) return null;
    const envelope = ENVELOPE.exec(stored);
    if (!envelope) {
      if (stored.startsWith('enc:')) throw new FieldKeyError(`${column} 的密文格式损坏 (malformed envelope)`);
      return stored;
    }
    const [, kid, iv, tag, body] = envelope;
    const key = this.keys.get(kid);
    if (!key) throw new FieldKeyError(`无法解密 ${column}：密钥 ${kid} 未配置 (key ${kid} is not in DATA_ENCRYPTION_KEYS; keep retired keys until data:rekey has run)`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
      decipher.setAAD(Buffer.from(column));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new FieldKeyError(`${column} 的密文校验失败，拒绝读取 (authentication failed: the value was altered, or key ${kid} is not the key that sealed it)`);
    }
  }

  /** Whether the value is sealed with the current key: what rekey leaves alone, without decrypting. */
  isCurrent(stored: string): boolean {
    return ENVELOPE.exec(stored)?.[1] === this.ring.current;
  }
}

/** Each database connection carries the cipher of its deployment, as it carries its charset. */
const ciphers = new WeakMap<DataSource, FieldCipher>();

export function attachFieldCipher(db: DataSource, cipher: FieldCipher): DataSource {
  ciphers.set(db, cipher);
  return db;
}

export function fieldCipherOf(ex: Executor): FieldCipher {
  const cipher = ciphers.get(isDataSource(ex) ? ex : ex.connection);
  if (!cipher) throw new FieldKeyError('数据库连接未配置字段加密密钥 (no field cipher attached to this DataSource: open it with openDatabase)');
  return cipher;
}
