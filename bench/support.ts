import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { FieldCipher } from '../src/storage/fieldCipher';
import { parseKeyRing } from '../src/storage/fieldKeys';

/** The MariaDB and Redis a benchmark runs on: the test servers, or the configured ones. */
export const mysqlUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
export const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;

/**
 * The data key a benchmark's servers and CLIs seal confidential text with: production requires one,
 * and every run starts from a fresh database, so a new random key per run serves.
 */
export const BENCH_DATA_KEYS = `bench1:${randomBytes(32).toString('base64')}`;
export const benchCipher = new FieldCipher(parseKeyRing(BENCH_DATA_KEYS));

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Removes what a run left under its key prefix, so benchmarks never pile up in a shared Redis. */
export async function dropRedisKeys(prefix: string): Promise<void> {
  if (!redisUrl) return;
  const redis = new Redis(redisUrl);
  let cursor = '0';
  do {
    const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    cursor = nextCursor;
  } while (cursor !== '0');
  await redis.quit();
}

const CLAIM_KEY = 'dandang-bench:claimed-by';

/**
 * A Redis logical database of the benchmark's own for a server process, which keeps its keys under
 * the production prefix: one nobody else uses (empty when claimed), so that a bench never shares a
 * draft, a lock or a token with a test or a running bot. release() removes what the run left.
 */
export async function claimRedisDatabase(url: string): Promise<{ url: string; release(): Promise<void> }> {
  const owner = `${process.pid}-${Date.now()}`;
  for (let index = 15; index >= 1; index -= 1) {
    const redis = new Redis(url, { db: index, lazyConnect: true });
    await redis.connect();
    const claimed = (await redis.set(CLAIM_KEY, owner, 'EX', 6 * 3600, 'NX')) === 'OK';
    if (claimed && (await redis.dbsize()) === 1) {
      const at = new URL(url);
      at.pathname = `/${index}`;
      return {
        url: at.toString(),
        async release() {
          let cursor = '0';
          do {
            const [nextCursor, keys] = await redis.scan(cursor, 'MATCH', 'dandang:*', 'COUNT', 1000);
            if (keys.length > 0) await redis.del(...keys);
            cursor = nextCursor;
          } while (cursor !== '0');
          await redis.del(CLAIM_KEY);
          await redis.quit();
        },
      };
    }
    if (claimed) await redis.del(CLAIM_KEY);
    await redis.quit();
  }
  throw new Error('no free Redis logical database (1–15) for the benchmark');
}

/** BENCH_SCALE=tiny: every bench at a size that only shows it still works (the bench test uses it). */
export const tiny = process.env.BENCH_SCALE === 'tiny';
