import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPROVAL_REMINDERS } from '../../src/domain/workflow/approvalReminders';
import type { Bot } from '../../src/container';
import { postCallback, seal, textXml } from '../channels/wecom/callbacks';
import { Deployment, faultTestsEnabled, gist, TALK_TRANSCRIPT, talksByWecomId, talkScript, type RunningBot } from '../support/reliability';

/** The sum over instances of one sample of the text exposition, e.g. a counter with its labels. */
async function sample(bots: Bot[], series: string): Promise<number> {
  let total = 0;
  for (const bot of bots) {
    const line = (await bot.metrics.exposition()).body.split('\n').find((l) => l.startsWith(`${series} `));
    total += line ? Number(line.split(' ')[1]) : 0;
  }
  return total;
}

/** Job runs counted by the instances, all kinds together. */
async function jobRuns(bots: Bot[], result: 'ok' | 'failed'): Promise<number> {
  let total = 0;
  for (const bot of bots) {
    for (const line of (await bot.metrics.exposition()).body.split('\n')) {
      if (line.startsWith('dandang_job_runs_total{') && line.includes(`result="${result}"`)) total += Number(line.split(' ')[1]);
    }
  }
  return total;
}

/**
 * Two instances behind one load balancer: each has its own database pool, its own Redis
 * connection (same key prefix) and its own HTTP server and background worker, in one process.
 */
describe.runIf(faultTestsEnabled)('two bot instances on one MariaDB and Redis', () => {
  let deployment: Deployment;
  let a: RunningBot;
  let b: RunningBot;
  beforeEach(async () => {
    deployment = await new Deployment().open();
    [a, b] = [await deployment.startBot(), await deployment.startBot()];
  });
  afterEach(async () => deployment.close());

  it('fetches the WeCom token once for both, and refreshes it once when it expires', async () => {
    const sendFrom = async (bot: RunningBot, recipient: string) =>
      bot.bot.outbox.enqueue([{ channel: 'wecom', recipient, message: { kind: 'text', text: '测试消息' } }]);
    await Promise.all([sendFrom(a, 'liuyang'), sendFrom(b, 'hubin'), sendFrom(a, 'wuhaiyan'), sendFrom(b, 'fenglei')]);
    // Both instances' outbox lanes send at once (and their timers run too), until all is sent.
    await deployment.settle();
    expect(deployment.fake.delivered()).toHaveLength(4);
    expect(deployment.fake.tokenRequests()).toBe(1);

    deployment.fake.expireTokens();
    await Promise.all([sendFrom(a, 'liuyang'), sendFrom(b, 'hubin'), sendFrom(a, 'wuhaiyan'), sendFrom(b, 'fenglei')]);
    await deployment.settle();
    expect(deployment.fake.delivered()).toHaveLength(8);
    expect(deployment.fake.tokenRequests()).toBe(2);
  });

  it('handles a callback delivered to both instances at once exactly once', async () => {
    const createTime = Math.floor(deployment.clock.now().getTime() / 1000);
    const sealed = seal(textXml({ from: 'liuyang', text: '记录谈话', msgId: '7700000000000000001', createTime }), { timestamp: createTime });
    const answers = await Promise.all([postCallback(a.url, sealed), postCallback(b.url, sealed), postCallback(a.url, sealed), postCallback(b.url, sealed)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await deployment.settle();
    expect(await deployment.count('SELECT COUNT(*) AS n FROM inbox')).toBe(1);
    expect(await sample([a.bot, b.bot], 'dandang_callbacks_total{channel="wecom",result="accepted"}')).toBe(1);
    expect(await sample([a.bot, b.bot], 'dandang_callbacks_total{channel="wecom",result="duplicate"}')).toBe(3);
    expect(gist(deployment.fake.delivered())).toEqual(TALK_TRANSCRIPT.slice(0, 2));
  });

  it('handles one member’s messages in order when they alternate between the instances', async () => {
    const members = ['liuyang', 'hubin'].map((id) => deployment.member(id));
    const scripts = members.map((m) => talkScript(`与杨帆交流了年度工作安排（${m.userId}），谈了思想和工作两方面。`));
    // No waiting for answers: each message is posted as soon as the previous one is acknowledged,
    // to the other instance, while both workers drain.
    for (let i = 0; i < 10; i++) {
      await Promise.all(members.map((m, k) => m.says((i + k) % 2 === 0 ? a.url : b.url, scripts[k][i]).then((s) => expect(s).toEqual([200]))));
    }
    await deployment.settle();
    const { expected, delivered } = await deployment.outboxAgainstWecom();
    expect(delivered).toEqual(expected);
    for (const m of members) expect(gist(delivered[m.userId])).toEqual(TALK_TRANSCRIPT);
    const talks = await talksByWecomId(deployment.db);
    for (const [k, m] of members.entries()) expect(talks[m.userId]).toEqual([{ summary: scripts[k][6], place: '局长办公室', talkees: 1 }]);
    expect(await sample([a.bot, b.bot], 'dandang_turns_total{channel="wecom",outcome="done"}')).toBe(20);
  });

  it('runs a scheduled reminder once when both instances’ job lanes run it', async () => {
    // A 容错 request waiting at its first stage (刘洋) for more than the 3 working days allowed.
    const [{ id }]: { id: number }[] = await deployment.db.query(`SELECT id FROM people WHERE code = 'P014'`);
    const applicant = (await a.bot.roster.person(Number(id)))!;
    await a.bot.services.tolerance.apply({
      draftKey: 'd-two-instances', applicant, matterId: null, matterText: '滨江项目征地补偿问题', reason: '为赶工期先行签订补偿协议。',
      situations: [1], otherSituation: null, handedDown: false, involvesCityCadre: false, integrated: false, filingId: null, attachments: [], channel: 'wecom',
    });
    await deployment.settle();
    const before = deployment.fake.delivered().length;

    // The job lanes have scheduled the next morning's reminders (a keyed row each, however many
    // instances did it). The bots were down over a week-end: the next time their job lanes run, on a
    // Monday six working days later, those are due.
    expect(await deployment.count(`SELECT COUNT(*) AS n FROM scheduled_jobs WHERE kind = ? AND status = 'pending'`, [APPROVAL_REMINDERS])).toBe(1);
    deployment.clock.advance(10 * 24 * 3600_000);
    for (let i = 0; i < 3; i++) await Promise.all([a.bot.worker.kick('jobs'), b.bot.worker.kick('jobs'), a.bot.worker.kick('jobs'), b.bot.worker.kick('jobs')]);
    await deployment.settle();

    // The reminders of that morning (the 催办 and, as it happens, the weekly talk reminders, fanned
    // out into a job per person) each reached their recipient once.
    const reminders = deployment.fake.delivered().slice(before);
    const urged = reminders.filter((r) => r.touser === 'liuyang' && JSON.stringify(r).includes('【催办】'));
    expect(urged).toHaveLength(1);
    expect(reminders.some((r) => JSON.stringify(r).includes('【审批超期清单】'))).toBe(true);
    expect(new Set(reminders.map((r) => JSON.stringify(r))).size).toBe(reminders.length);
    // Every job ran once, whichever instance claimed it: the runs counted on the two instances add
    // up to the jobs done, and none failed.
    const done = await deployment.count(`SELECT COUNT(*) AS n FROM scheduled_jobs WHERE status = 'done'`);
    expect(await deployment.count(`SELECT COUNT(*) AS n FROM scheduled_jobs WHERE kind = ? AND status = 'done'`, [APPROVAL_REMINDERS])).toBe(1);
    expect(await jobRuns([a.bot, b.bot], 'ok')).toBe(done);
    expect(await jobRuns([a.bot, b.bot], 'failed')).toBe(0);
  });
});
