import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataSource } from 'typeorm';
import Redis from 'ioredis';
import { createLogger } from '../../src/logger';
import { RedisStateStore } from '../../src/state/redisStateStore';
import { databaseBackends, redisUrl, testClock } from '../support/backends';
import { createTestBot } from '../support/fixtures';
import { bodyOf, serve } from '../support/http';

type Health = { status: string; failing: Record<string, string> };

describe('GET /healthz', () => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  beforeEach(async () => ({ db, dispose } = await databaseBackends[0].open()));
  afterEach(async () => dispose());

  it('answers 200 when the database and the state store answer', async () => {
    // In October, before next year's holiday calendar is awaited (test/calendar has the warning).
    const bot = await createTestBot({ db, clock: testClock('2026-10-15T02:00:00.000Z') });
    const server = await serve(bot.app);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(/[\w-]{8,}/);
    await server.close();
    await bot.close();
  });

  it.runIf(redisUrl)('answers 200 with a warning, and warns at start, when Redis would lose data on a restart or evict keys', async () => {
    const redis = new Redis(redisUrl!);
    const [, appendonly] = (await redis.config('GET', 'appendonly')) as string[];
    const [, policy] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    await redis.quit();
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const bot = await createTestBot({ db, clock: testClock(), state: new RedisStateStore(redisUrl!, `dandang-test:${Date.now()}:`), logger });
    const server = await serve(bot.app);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    const body = await bodyOf<Health & { warnings?: { stateStore: string[] } }>(res);
    const expected = [...(appendonly === 'yes' ? [] : [/appendonly is no/]), ...(policy === 'noeviction' ? [] : [/maxmemory-policy/])];
    expect(body.warnings?.stateStore ?? []).toEqual(expected.map((pattern) => expect.stringMatching(pattern)));
    await vi.waitFor(() => {
      const startWarnings = lines.filter((l) => l.msg === 'the state store is not set up for production').map((l) => l.warning);
      expect(startWarnings).toEqual(body.warnings?.stateStore ?? []);
    });
    await server.close();
    await bot.close();
  });

  it('answers 503 naming the state store when Redis cannot be reached', async () => {
    const unreachable = new RedisStateStore('redis://127.0.0.1:1', 'x:');
    const bot = await createTestBot({ db, clock: testClock(), state: unreachable });
    const server = await serve(bot.app);
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    const body = await bodyOf<Health>(res);
    expect(Object.keys(body.failing)).toEqual(['stateStore']);
    await server.close();
    await bot.close();
  });

  it('answers 503 naming the database when it is gone', async () => {
    const bot = await createTestBot({ db, clock: testClock() });
    const server = await serve(bot.app);
    await db.destroy();
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(503);
    expect(Object.keys((await bodyOf<Health>(res)).failing)).toEqual(['database']);
    await server.close();
    await bot.close();
  });

  it('answers unknown paths with 404 and no stack trace', async () => {
    const bot = await createTestBot({ db, clock: testClock() });
    const server = await serve(bot.app);
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toMatch(/at .*\.ts/);
    await server.close();
    await bot.close();
  });
});
