import { afterEach, describe, expect, it } from 'vitest';
import { Deployment, expectTalksRecorded, faultTestsEnabled, talkers } from '../support/reliability';
import { RedisProcess } from '../support/redisServers';

const MEMBERS = ['liuyang', 'chenjianguo'];

/**
 * Redis without persistence (no RDB, no AOF) killed and started again in the middle of dialogues:
 * it comes back empty. The drafts' database copies, written with each handled event, carry every
 * dialogue on at the step it had reached; nobody gets the greeting menu instead of the next question.
 */
describe.runIf(faultTestsEnabled)('Redis restarted empty while people are half-way through a form', () => {
  let deployment: Deployment;
  let redis: RedisProcess | undefined;
  afterEach(async () => {
    await deployment?.close();
    await redis?.stop();
  });

  it('loses no answer: each dialogue goes on where it was and ends in its record, every reply sent once', { timeout: 60_000 }, async () => {
    redis = await RedisProcess.server();
    deployment = await new Deployment().open({ redisUrl: redis.url });
    const bot = await deployment.startBot();
    const { scripts, postLine } = talkers(deployment, bot.url, MEMBERS);

    for (let i = 0; i < 5; i++) {
      await postLine(i);
      await deployment.settle();
    }
    const keysBefore = Number(await redis.command('DBSIZE'));
    await redis.kill();
    await redis.start();
    expect(Number(await redis.command('DBSIZE'))).toBe(0);
    expect(keysBefore).toBeGreaterThan(0);

    for (let i = 5; i < 10; i++) {
      await postLine(i);
      await deployment.settle();
    }

    await expectTalksRecorded(deployment, MEMBERS, scripts);
    expect(bot.logLines.filter((l) => l.msg === 'dialogue draft restored from its database copy')).toHaveLength(MEMBERS.length);
  });
});
