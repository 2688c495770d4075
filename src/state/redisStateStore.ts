import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { DEFAULT_LOCK, LockTimeoutError, type LockOptions, type StateStore } from './stateStore';

const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if current then return 0 end
else
  if current ~= ARGV[2] then return 0 end
end
if ARGV[4] == '' then redis.call('SET', KEYS[1], ARGV[3]) else redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4]) end
return 1`;

const RELEASE_IF_OWNER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Shared by every instance; TTLs are Redis's own, so the clock here is the Redis server's. */
export class RedisStateStore implements StateStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'dandang:',
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false });
    // Connection errors surface on the commands that fail; the event itself must not crash the process.
    this.redis.on('error', () => undefined);
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    if (ttlMs === undefined) await this.redis.set(this.prefix + key, value);
    else await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const result =
      ttlMs === undefined
        ? await this.redis.set(this.prefix + key, value, 'NX')
        : await this.redis.set(this.prefix + key, value, 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
    return result === 'OK';
  }

  async compareAndSet(key: string, expected: string | undefined, next: string, ttlMs?: number): Promise<boolean> {
    const result = await this.redis.eval(
      COMPARE_AND_SET,
      1,
      this.prefix + key,
      expected === undefined ? '0' : '1',
      expected ?? '',
      next,
      ttlMs === undefined ? '' : String(Math.max(1, Math.round(ttlMs))),
    );
    return result === 1;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async withLock<T>(key: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const { waitMs, leaseMs } = { ...DEFAULT_LOCK, ...options };
    const lockKey = `${this.prefix}lock:${key}`;
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    let pause = 5;
    while ((await this.redis.set(lockKey, token, 'PX', leaseMs, 'NX')) !== 'OK') {
      if (Date.now() >= deadline) throw new LockTimeoutError(key);
      await sleep(pause);
      pause = Math.min(pause * 2, 100);
    }
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE_IF_OWNER, 1, lockKey, token).catch(() => undefined);
    }
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
