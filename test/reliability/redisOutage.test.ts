import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { cardClickXml, postCallback, seal } from '../channels/wecom/callbacks';
import { Deployment, faultTestsEnabled, gist, TALK_TRANSCRIPT, talksByWecomId, talkScript, tapReads } from '../support/reliability';

const MEMBERS = ['liuyang', 'chenjianguo', 'wuhaiyan', 'hubin'];
const OUTAGE_MS = 30_000;

/**
 * Redis holds the per-user locks, the dialogue drafts, the WeCom token and the send rate limit, so
 * while it is gone nothing can be handled or sent; callbacks still go into the inbox (MariaDB) and
 * are acknowledged. The outage is the full 30 s, cut by a proxy in front of Redis (which
 * other test files keep using meanwhile), with the stream of callbacks going on throughout. The cut
 * comes at the worst moment of a turn: the user's lock is taken and the draft is about to be read.
 */
describe.runIf(faultTestsEnabled)('Redis unavailable for 30 s during a stream of WeCom callbacks', () => {
  let deployment: Deployment;
  afterEach(async () => deployment?.close());

  it('answers every callback 200 and, after recovery, handles each once and sends each reply once, in order', { timeout: 75_000 }, async () => {
    deployment = await new Deployment().open({ proxyRedis: true });
    let armed = false;
    let cutAt = 0;
    const bot = await deployment.startBot({}, {
      tapState: (store) =>
        tapReads(store, (key) => {
          if (!armed || !key.startsWith('dialogue:')) return;
          armed = false;
          cutAt = Date.now();
          deployment.redisProxy!.pause();
        }),
    });
    const { url } = bot;
    const members = MEMBERS.map((id) => deployment.member(id));
    const scripts = MEMBERS.map((id) => talkScript(`与杨帆交流了年度工作安排（${id}），谈了思想和工作两方面。`));
    // A card click keeps WeCom's one-time card code in Redis before it is acknowledged.
    const clickAt = Math.floor(deployment.clock.now().getTime() / 1000);
    const click = async () => {
      const xml = cardClickXml({ from: 'fenglei', createTime: clickAt, eventKey: 'menu:mine', taskId: 'm0123456789abcdef', responseCode: 'code-1' });
      const res = await postCallback(url, seal(xml, { timestamp: clickAt })).catch(() => undefined);
      await res?.body?.cancel();
      return res?.status ?? 0;
    };
    const postLine = (i: number) => Promise.all(members.map((m, k) => m.says(url, scripts[k][i], { retries: 10, pauseMs: 500 })));

    // Before: three steps each, all handled and answered.
    for (let i = 0; i < 3; i++) await postLine(i);
    await deployment.settle();
    const answeredBefore = deployment.fake.delivered().length;

    // The next turn to read a draft has Redis cut under it; five more steps each follow during the
    // outage, and a redelivery of an early message that WeCom was unsure of.
    armed = true;
    let clickRefused = 0;
    for (let i = 3; i < 8; i++) {
      await postLine(i);
      if (i === 4) expect(await members[0].repeats(url, members[0].posts[1].msgId, scripts[0][1])).toBe(200);
      if (i === 5) clickRefused = await click();
      await sleep(OUTAGE_MS / 7);
    }
    expect(cutAt).toBeGreaterThan(0);
    await sleep(Math.max(0, cutAt + OUTAGE_MS - Date.now()));
    const waiting = await deployment.count(`SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'`);
    const answeredDuring = deployment.fake.delivered().length - answeredBefore;
    deployment.redisProxy!.resume();

    // After: the last two steps, while the bot is still catching up, and WeCom's retry of the click.
    for (let i = 8; i < 10; i++) await postLine(i);
    expect(await click()).toBe(200);
    await deployment.settle({ timeoutMs: 25_000 });

    // Every callback was acknowledged at once (the inbox is in MariaDB, which stayed up).
    expect(members.flatMap((m) => m.posts.map((p) => p.status)).every((s) => s === 200)).toBe(true);
    // The click could not be acknowledged during the outage, and was handled once after WeCom's retry.
    expect(clickRefused).toBeGreaterThanOrEqual(500);
    expect(deployment.fake.delivered().filter((m) => m.touser === 'fenglei')).toHaveLength(1);
    // Redis really was gone: the bot kept trying, handling stood still, nothing was sent, and the
    // turn cut in the middle was put back without counting an attempt.
    expect(deployment.redisProxy!.refused).toBeGreaterThan(0);
    expect(waiting).toBe(MEMBERS.length * 5);
    expect(answeredDuring).toBe(0);
    // The outage is logged once when it began and once when it ended, for each kind of work that
    // noticed it: not a line a pass (a pass runs every 50 ms here).
    const lines = (msg: string) => bot.logLines.filter((l) => l.msg === msg).map((l) => String(l.task));
    const down = lines('database or state store unavailable; waiting for it to come back');
    expect(down).toContain('handling events');
    expect(down).toContain('inbox');
    expect(new Set(down).size).toBe(down.length);
    expect(lines('database or state store available again').sort()).toEqual([...down].sort());
    expect(lines('background task failed')).toEqual([]);

    // Each event handled exactly once; the outage consumed none of their attempts.
    const inbox: { status: string; attempts: number | string }[] = await deployment.db.query('SELECT status, attempts FROM inbox');
    expect(inbox).toHaveLength(MEMBERS.length * 10 + 1);
    expect(inbox.every((r) => r.status === 'done' && Number(r.attempts) === 0)).toBe(true);

    // Each reply delivered exactly once and in order; each dialogue went step by step to its receipt.
    const { expected, delivered } = await deployment.outboxAgainstWecom();
    expect(delivered).toEqual(expected);
    for (const id of MEMBERS) expect(gist(delivered[id])).toEqual(TALK_TRANSCRIPT);
    const talks = await talksByWecomId(deployment.db);
    for (const [k, id] of MEMBERS.entries()) expect(talks[id]).toEqual([{ summary: scripts[k][6], place: '局长办公室', talkees: 1 }]);
  });
});
