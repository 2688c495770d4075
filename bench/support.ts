import Redis from 'ioredis';

/** The MariaDB and Redis a benchmark runs on: the test servers, or the configured ones. */
export const mysqlUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
export const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL;

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
