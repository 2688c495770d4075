import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { ENVELOPE, FieldCipher, FieldKeyError } from '../../src/storage/fieldCipher';
import { fieldCipherFrom, parseKeyRing } from '../../src/storage/fieldKeys';

/** The cipher on its own, and where its keys come from: the environment, or a development file. */
const KEY = `k1:${Buffer.alloc(32, 1).toString('base64')}`;

describe('sealing one value', () => {
  const cipher = new FieldCipher(parseKeyRing(KEY));

  it('seals with a fresh IV every time and opens back to the text, emoji and all', () => {
    const text = '谈话中反映家庭困难😀，需跟进。';
    const [a, b] = [cipher.seal(text, 'talks.summary'), cipher.seal(text, 'talks.summary')];
    expect(a).toMatch(ENVELOPE);
    expect(a).not.toBe(b);
    expect(a.split(':')[2]).toBe('k1');
    expect(cipher.open(a, 'talks.summary')).toBe(text);
    expect(cipher.seal(null, 'talks.follow_ups')).toBeNull();
    expect(cipher.open('', 'talks.summary')).toBe('');
    expect(cipher.open(cipher.seal('', 'talks.summary'), 'talks.summary')).toBe('');
  });

  it('refuses an altered tag, IV or ciphertext, another column, and a malformed envelope', () => {
    const sealed = cipher.seal('申请事由', 'cases.form');
    const parts = sealed.split(':');
    const flip = (i: number) => {
      const bytes = Buffer.from(parts[i], 'base64');
      bytes[0] ^= 0x80;
      return [...parts.slice(0, i), bytes.toString('base64'), ...parts.slice(i + 1)].join(':');
    };
    for (const altered of [flip(3), flip(4), flip(5)]) expect(() => cipher.open(altered, 'cases.form')).toThrow('cases.form 的密文校验失败，拒绝读取');
    expect(() => cipher.open(sealed, 'case_stages.opinion')).toThrow(FieldKeyError);
    expect(() => cipher.open('enc:1:k1:broken', 'cases.form')).toThrow('cases.form 的密文格式损坏');
    expect(cipher.open('written before encryption', 'cases.form')).toBe('written before encryption');
  });

  it('names a key it does not have, and tells a retired key to stay until rekey has run', () => {
    const other = new FieldCipher(parseKeyRing(`k2:${Buffer.alloc(32, 2).toString('base64')}`));
    expect(() => other.open(cipher.seal('摘要', 'talks.summary'), 'talks.summary')).toThrow(
      '无法解密 talks.summary：密钥 k1 未配置 (key k1 is not in DATA_ENCRYPTION_KEYS; keep retired keys until data:rekey has run)',
    );
  });
});

describe('DATA_ENCRYPTION_KEYS', () => {
  it('takes id:base64 entries, the first one current', () => {
    const ring = parseKeyRing(` k2:${Buffer.alloc(32, 2).toString('base64')} , ${KEY}`);
    expect(ring.current).toBe('k2');
    expect([...ring.keys.keys()]).toEqual(['k2', 'k1']);
  });

  it.each([
    ['k1:c2hvcnQ=', 'key k1 must be 32 random bytes in base64 (openssl rand -base64 32), got 5 bytes'],
    [`${KEY},${KEY}`, 'key id k1 is listed twice'],
    [Buffer.alloc(32).toString('base64'), 'must be id:base64key'],
    [`bad id:${Buffer.alloc(32).toString('base64')}`, 'must be id:base64key'],
  ])('stops the start on %s, naming the variable', (value, message) => {
    expect(() => loadConfig({ DATA_ENCRYPTION_KEYS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_ENCRYPTION_KEYS: value })).toThrow(`DATA_ENCRYPTION_KEYS: `);
    expect(() => loadConfig({ DATA_ENCRYPTION_KEYS: value })).toThrow(message);
  });

  it('is required in production, and says how to make one', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATA_ENCRYPTION_KEYS: required in production .*openssl rand -base64 32/);
    expect(loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: KEY }).fieldKeys).toMatchObject({ kind: 'environment', ring: { current: 'k1' } });
  });

  it('in development without it, makes a key once under ./data, reuses it, and warns each start', () => {
    expect(loadConfig({}).fieldKeys).toEqual({ kind: 'development', path: 'data/field-key.dev' });
    const dir = mkdtempSync(join(tmpdir(), 'dandang-key-'));
    try {
      const path = join(dir, 'data', 'field-key.dev');
      const warnings: string[] = [];
      const first = fieldCipherFrom({ kind: 'development', path }, (w) => warnings.push(w));
      const sealed = first.seal('摘要', 'talks.summary');
      const file = readFileSync(path, 'utf8');
      expect(file).toMatch(/^dev:[A-Za-z0-9+/]{43}=\n$/);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const again = fieldCipherFrom({ kind: 'development', path }, (w) => warnings.push(w));
      expect(readFileSync(path, 'utf8')).toBe(file);
      expect(again.open(sealed, 'talks.summary')).toBe('摘要');
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toContain(`DATA_ENCRYPTION_KEYS is not set: confidential fields are encrypted with the development key in ${path}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
