import { afterEach, describe, expect, it } from 'vitest';
import { Deployment, faultTestsEnabled, gist, TALK_TRANSCRIPT, talksByWecomId, talkScript } from '../support/reliability';
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
    const members = MEMBERS.map((id) => deployment.member(id));
    const scripts = MEMBERS.map((id) => talkScript(`与杨帆交流了年度工作安排（${id}），谈了思想和工作两方面。`));
    const postLine = (i: number) => Promise.all(members.map((m, k) => m.says(bot.url, scripts[k][i], { retries: 20, pauseMs: 250 })));

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

    const { expected, delivered } = await deployment.outboxAgainstWecom();
    expect(delivered).toEqual(expected);
    for (const id of MEMBERS) expect(gist(delivered[id])).toEqual(TALK_TRANSCRIPT);
    const talks = await talksByWecomId(deployment.db);
    for (const [k, id] of MEMBERS.entries()) expect(talks[id]).toEqual([{ summary: scripts[k][6], place: '局长办公室', talkees: 1 }]);
    expect(bot.logLines.filter((l) => l.msg === 'dialogue draft restored from its database copy')).toHaveLength(MEMBERS.length);
  });
});
