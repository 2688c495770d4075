import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis, { type RedisOptions } from 'ioredis';
import type { RedisConnection } from '../config';
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

const COMMON: RedisOptions = {
  maxRetriesPerRequest: 2,
  enableOfflineQueue: true,
  lazyConnect: false,
  // Commands issued in the same turn of the event loop (the worker's lanes taking locks and saving
  // drafts at once) go out in one write: one system call instead of one per command.
  enableAutoPipelining: true,
  // A master demoted by a failover answers writes with READONLY: reconnect, which (with Sentinel)
  // asks the sentinels for the new master. The failed command is retried there.
  reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
};

function client(connection: string | RedisConnection): Redis {
  if (typeof connection === 'string') return new Redis(connection, COMMON);
  if (connection.kind === 'url') return new Redis(connection.url, COMMON);
  return new Redis({
    ...COMMON,
    sentinels: connection.sentinels,
    name: connection.name,
    password: connection.password,
    sentinelPassword: connection.sentinelPassword,
    // Follow +switch-master as the sentinels announce it, rather than waiting for a command to fail.
    failoverDetector: true,
  });
}

/**
 * Shared by every instance; TTLs are Redis's own, so the clock here is the Redis server's. Either one
 * Redis by URL or, for a zone with a standby, the master that Redis Sentinel watches: after a
 * failover the client finds the new master, and commands in between fail as an outage does (the
 * turn is put back and redone; drafts have their database copy).
 */
export class RedisStateStore implements StateStore {
  private readonly redis: Redis;
  /** The server's run_id, learnt on each connection: a restart or a failover gives another one. */
  private runId: string | undefined;
  private connections = 0;

  constructor(
    connection: string | RedisConnection,
    private readonly prefix = 'dandang:',
  ) {
    this.redis = client(connection);
    // Connection errors surface on the commands that fail; the event itself must not crash the process.
    this.redis.on('error', () => undefined);
    // Forgotten the moment a connection closes, so that nothing the next server holds is taken for
    // this one's; learnt again once the next connection is ready.
    this.redis.on('close', () => {
      this.connections += 1;
      this.runId = undefined;
    });
    this.redis.on('ready', () => void this.learnRunId());
  }

  private async learnRunId(): Promise<void> {
    const connection = this.connections;
    const info = await this.redis.info('server').catch(() => '');
    const runId = /^run_id:(\w+)/m.exec(info)?.[1];
    if (connection === this.connections) this.runId = runId;
  }

  lifetime(): string | undefined {
    return this.runId;
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

  /**
   * What production Redis must have and this one lacks: an append-only file (a restart without it
   * loses card-click marks, one-time card codes and tokens; drafts have their database copy) and no
   * eviction (an evicting Redis drops locks and marks under memory pressure, silently).
   */
  async durabilityWarnings(): Promise<string[]> {
    const setting = async (name: string) => ((await this.redis.config('GET', name)) as string[])[1];
    let appendonly: string | undefined;
    let policy: string | undefined;
    try {
      [appendonly, policy] = await Promise.all([setting('appendonly'), setting('maxmemory-policy')]);
    } catch (error) {
      // Managed Redis services often refuse CONFIG: say so rather than guess.
      const reason = error instanceof Error ? error.message.slice(0, 100) : 'error';
      return [`Redis persistence not verified (CONFIG GET failed: ${reason}); make sure it runs with appendonly yes and maxmemory-policy noeviction`];
    }
    const warnings: string[] = [];
    if (appendonly !== 'yes') {
      warnings.push(`Redis appendonly is ${appendonly ?? 'unknown'}: a restart loses card-click marks, one-time card codes and tokens (drafts are restored from the database); set appendonly yes`);
    }
    if (policy !== 'noeviction') warnings.push(`Redis maxmemory-policy is ${policy ?? 'unknown'}: under memory pressure it may evict locks and marks; set maxmemory-policy noeviction`);
    return warnings;
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
