import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { wecomEnv } from '../channels/wecom/callbacks';
import { redisUrl } from '../support/backends';
import { BotProcess } from '../support/botProcess';
import { Deployment, faultTestsEnabled, gist, TALK_TRANSCRIPT } from '../support/reliability';
import { TEST_DATA_KEYS } from '../support/fieldKeys';

// The bot as deployed uses the default key prefix; a Redis database of its own keeps this test's
// keys away from anything else using that Redis (a developer's bot on database 0).
const REDIS_DB = 9;

/**
 * The process dies (SIGKILL: no shutdown, nothing flushed) after acknowledging a callback and
 * before handling it. The hold-up is made deterministic by the test holding the member's lock in
 * Redis, exactly as another instance handling that member would; the bot then skips the member and
 * the event waits in the inbox. A new process on the same MariaDB and Redis handles it.
 */
describe.runIf(faultTestsEnabled)('the bot killed with SIGKILL between acknowledging a callback and handling it', () => {
  let deployment: Deployment;
  let redis: Redis;
  const processes: BotProcess[] = [];
  afterEach(async () => {
    for (const p of processes) await p.kill('SIGKILL');
    redis?.disconnect();
    await deployment?.close();
  });

  it('handles the event exactly once after a restart and sends its reply once', { timeout: 60_000 }, async () => {
    deployment = await new Deployment().open();
    // A WeCom id of this run's own, so that the lock, rate and draft keys are this run's.
    const userId = `liuyang-${randomBytes(4).toString('hex')}`;
    await deployment.db.query(`UPDATE people SET wecom_user_id = ? WHERE code = 'P012'`, [userId]);
    const [{ id: personId }]: { id: number }[] = await deployment.db.query(`SELECT id FROM people WHERE code = 'P012'`);
    const stateUrl = new URL(redisUrl!);
    stateUrl.pathname = `/${REDIS_DB}`;
    redis = new Redis(stateUrl.toString());
    await redis.del(`dandang:dialogue:${personId}`);
    const lockKey = `dandang:lock:user:wecom:${userId}`;

    const env = {
      NODE_ENV: 'production',
      DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS,
      LOG_LEVEL: 'info',
      DATABASE_URL: deployment.databaseUrl,
      REDIS_URL: stateUrl.toString(),
      WORKER_INTERVAL_MS: '100',
      ...wecomEnv(deployment.fake),
      // The callbacks are signed with the test's clock, which the processes do not share.
      WECOM_MAX_SKEW_SECONDS: '0',
    };
    const member = deployment.member(userId);

    await redis.set(lockKey, 'held-by-the-test', 'PX', 60_000);
    const first = new BotProcess(env);
    processes.push(first);
    await first.start();
    expect(await member.says(first.url, '记录谈话')).toEqual([200]);
    // Acknowledged and stored; several worker passes later still not handled (the lock is held).
    await sleep(500);
    const [stored]: { status: string; attempts: number | string }[] = await deployment.db.query('SELECT status, attempts FROM inbox');
    expect(stored).toEqual({ status: 'pending', attempts: expect.anything() });
    expect(deployment.fake.delivered()).toEqual([]);

    await first.kill('SIGKILL');
    await redis.del(lockKey);

    const second = new BotProcess(env);
    processes.push(second);
    await second.start();
    // WeCom, not having seen the first answer arrive in time, may post the callback again.
    expect(await member.repeats(second.url, member.posts[0].msgId, '记录谈话')).toBe(200);
    const deadline = Date.now() + 15_000;
    while ((await deployment.count(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent'`)) < 2 && Date.now() < deadline) await sleep(100);

    const inbox: { status: string; attempts: number | string }[] = await deployment.db.query('SELECT status, attempts FROM inbox');
    expect(inbox).toHaveLength(1);
    expect(inbox[0].status).toBe('done');
    expect(gist(deployment.fake.delivered())).toEqual(TALK_TRANSCRIPT.slice(0, 2));

    // The dialogue goes on from there, on the new process.
    expect(await member.says(second.url, '杨帆')).toEqual([200]);
    // The date step is its question as text and a card with the buttons.
    while (deployment.fake.delivered().length < 4 && Date.now() < deadline) await sleep(100);
    await sleep(300);
    expect(gist(deployment.fake.delivered())).toEqual(TALK_TRANSCRIPT.slice(0, 4));
    await second.kill('SIGTERM');
    await redis.del(`dandang:dialogue:${personId}`);
  });
});
