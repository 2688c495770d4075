import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Deployment, expectTalksRecorded, faultTestsEnabled, talkers } from '../support/reliability';
import { RedisProcess } from '../support/redisServers';

const MEMBERS = ['liuyang', 'chenjianguo', 'wuhaiyan'];

/**
 * A zone running Redis with a standby: a master, a replica and a Sentinel (quorum 1, so that one
 * sentinel may decide). The bot reaches Redis through REDIS_SENTINELS. In the middle of three
 * dialogues the master is killed; the sentinel promotes the replica, the bot follows it, and every
 * dialogue goes on at its step to its record, each reply sent once.
 */
describe.runIf(faultTestsEnabled)('Redis failing over to its replica (Sentinel) while dialogues are in progress', () => {
  let deployment: Deployment;
  const processes: RedisProcess[] = [];
  afterEach(async () => {
    await deployment?.close();
    for (const p of processes.splice(0)) await p.stop();
  });

  it('loses nothing: the bot follows the new master and each dialogue ends in its record', { timeout: 90_000 }, async () => {
    const master = await RedisProcess.server();
    const replica = await RedisProcess.server({ args: ['--replicaof', '127.0.0.1', '0'] });
    processes.push(master, replica);
    await replica.command('REPLICAOF', '127.0.0.1', master.port);
    const sentinel = await RedisProcess.sentinel(master);
    processes.push(sentinel);
    const masterPort = async () => Number((await sentinel.command<string[]>('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster'))[1]);
    // The sentinel must know the replica before the master goes, or it has nobody to promote.
    const deadline = Date.now() + 20_000;
    while (((await sentinel.command<unknown[]>('SENTINEL', 'REPLICAS', 'mymaster')) ?? []).length === 0) {
      if (Date.now() > deadline) throw new Error('the sentinel never saw the replica');
      await sleep(100);
    }

    deployment = await new Deployment().open({ env: { REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`, REDIS_SENTINEL_NAME: 'mymaster' } });
    const bot = await deployment.startBot();
    const { members, scripts, postLine } = talkers(deployment, bot.url, MEMBERS);

    for (let i = 0; i < 4; i++) {
      await postLine(i);
      await deployment.settle();
    }
    expect(await masterPort()).toBe(master.port);
    await master.kill();
    // The next steps are typed while the sentinel notices and promotes the replica.
    await postLine(4);
    await postLine(5);
    const promoted = Date.now() + 30_000;
    while ((await masterPort()) !== replica.port) {
      if (Date.now() > promoted) throw new Error('the sentinel did not promote the replica');
      await sleep(200);
    }
    for (let i = 6; i < 10; i++) {
      await postLine(i);
      await deployment.settle({ timeoutMs: 30_000 });
    }
    await deployment.settle({ timeoutMs: 30_000 });

    expect(members.flatMap((m) => m.posts.map((p) => p.status)).every((s) => s === 200)).toBe(true);
    await expectTalksRecorded(deployment, MEMBERS, scripts);
    // The bot's keys are on the promoted replica now.
    expect(Number(await replica.command('DBSIZE'))).toBeGreaterThan(0);
  });
});
