import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FieldCipher, FieldKeyError, KEY_ID, type KeyRing } from './fieldCipher';

/** Where the data keys come from: the environment, or (embedded mode only) a file made on first start. */
export type FieldKeySource = { kind: 'environment'; ring: KeyRing } | { kind: 'development'; path: string };

export const DEVELOPMENT_KEY_PATH = 'data/field-key.dev';

/**
 * DATA_ENCRYPTION_KEYS: `id:base64key` entries separated by commas, the current key first, e.g.
 * `2026b:Zm9v…,2026a:YmFy…`. Retired keys stay listed until `npm run data:rekey` has resealed
 * everything they sealed.
 */
export function parseKeyRing(text: string): KeyRing {
  const keys = new Map<string, Buffer>();
  const entries = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) throw new FieldKeyError('no key given');
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const kid = entry.slice(0, colon);
    const encoded = entry.slice(colon + 1);
    if (colon < 1 || !KEY_ID.test(kid)) throw new FieldKeyError(`“${entry.slice(0, 12)}…” must be id:base64key (id: 1–32 letters, digits, _ or -)`);
    if (keys.has(kid)) throw new FieldKeyError(`key id ${kid} is listed twice`);
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
      throw new FieldKeyError(`key ${kid} must be 32 random bytes in base64 (openssl rand -base64 32), got ${key.length} bytes`);
    }
    keys.set(kid, key);
  }
  return { current: entries[0].slice(0, entries[0].indexOf(':')), keys };
}

/**
 * The cipher of this deployment. In development without DATA_ENCRYPTION_KEYS a key is made once
 * under ./data and reused, with a warning each start: losing that file loses the records.
 */
export function fieldCipherFrom(source: FieldKeySource, warn: (message: string) => void): FieldCipher {
  if (source.kind === 'environment') return new FieldCipher(source.ring);
  if (!existsSync(source.path)) {
    mkdirSync(dirname(source.path), { recursive: true });
    writeFileSync(source.path, `dev:${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  }
  warn(
    `DATA_ENCRYPTION_KEYS is not set: confidential fields are encrypted with the development key in ${source.path}. ` +
      'Production refuses to start without DATA_ENCRYPTION_KEYS (see docs/guarantees.md).',
  );
  return new FieldCipher(parseKeyRing(readFileSync(source.path, 'utf8')));
}
