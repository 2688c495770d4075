import { afterEach, describe, expect, it } from 'vitest';
import { Deployment, faultTestsEnabled, gist, TALK_TRANSCRIPT, talkScript } from '../support/reliability';

const MEMBERS = ['liuyang', 'chenjianguo', 'wuhaiyan'];
const STEP_MS = 5_000;

/**
 * WeCom's API down for a minute of the bot's clock: 30 s of requests that hang until the bot gives
 * up on them, then 30 s of HTTP 500s (token requests included). The outbox's retries are driven by
 * that clock (a ManualClock, moved on in 5 s steps with a worker pass after each), so the minute
 * costs a few seconds of test time. A hung request is one WeCom did not take (the fake never counts
 * it): whether a real timed-out send reached the person cannot be known, see docs/guarantees.md.
 */
describe.runIf(faultTestsEnabled)('WeCom API answering 500s and timing out for a minute', () => {
  let deployment: Deployment;
  afterEach(async () => deployment?.close());

  it('delivers every reply once the API is back, exactly once and in order per person', { timeout: 60_000 }, async () => {
    deployment = await new Deployment().open();
    // The worker's own timer is slowed down: the test makes each pass itself, a clock step apart.
    const { bot, url } = await deployment.startBot({ WECOM_API_TIMEOUT_MS: '200' }, { workerIntervalMs: 60_000 });
    const members = MEMBERS.map((id) => deployment.member(id));
    const scripts = MEMBERS.map((id) => talkScript(`与杨帆交流了年度工作安排（${id}），谈了思想和工作两方面。`));

    // Start of the outage: the dialogues go on (replies queue up), retries fail, the clock moves.
    const step = async () => {
      deployment.clock.advance(STEP_MS);
      await bot.worker.kick();
    };
    let line = 0;
    let duringTimeouts = 0;
    deployment.fake.outage = 'timeout';
    for (let t = 0; t < 60_000; t += STEP_MS) {
      if (t === 30_000) {
        deployment.fake.outage = 'http500';
        duringTimeouts = deployment.fake.requests.length;
      }
      if (line < 10) {
        for (const [k, m] of members.entries()) expect(await m.says(url, scripts[k][line])).toEqual([200]);
        line += 1;
      }
      await step();
    }
    const attemptsDuringOutage = deployment.fake.requests.length;
    expect(deployment.fake.delivered()).toEqual([]);
    const stuck: { attempts: number | string }[] = await deployment.db.query(`SELECT attempts FROM outbox WHERE status = 'pending' ORDER BY attempts DESC`);
    expect(stuck.length).toBeGreaterThan(0);
    expect(Number(stuck[0].attempts)).toBeGreaterThanOrEqual(5);
    deployment.fake.outage = undefined;

    // Back: the rest of the dialogues, then everything queued goes out.
    for (; line < 10; line++) for (const [k, m] of members.entries()) expect(await m.says(url, scripts[k][line])).toEqual([200]);
    await deployment.settle({ advanceMs: 60_000 });

    // Both halves of the outage were met: requests that hung, then requests refused with 500.
    expect(duringTimeouts).toBeGreaterThan(MEMBERS.length);
    expect(attemptsDuringOutage).toBeGreaterThanOrEqual(duringTimeouts + MEMBERS.length);
    expect(await deployment.count(`SELECT COUNT(*) AS n FROM outbox WHERE status <> 'sent'`)).toBe(0);
    const { expected, delivered } = await deployment.outboxAgainstWecom();
    expect(delivered).toEqual(expected);
    for (const id of MEMBERS) expect(gist(delivered[id])).toEqual(TALK_TRANSCRIPT);
  });
});
