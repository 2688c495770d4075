import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Deployment, faultTestsEnabled, gist, TALK_TRANSCRIPT, talksByWecomId, talkScript, tapReads } from '../support/reliability';

const MEMBERS = ['liuyang', 'chenjianguo', 'wuhaiyan', 'hubin'];
const DOWN_MS = 4_000;

/**
 * Passes the bot's WeCom API calls on to the fake, and can run something just before passing one
 * on: here, cutting the database at the moment WeCom takes a message, so that the bot cannot
 * write down that it was sent.
 */
class Interposer {
  private server?: Server;
  url = '';
  beforeSend?: () => void;

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url?.startsWith('/cgi-bin/message/send') && this.beforeSend) {
          const hook = this.beforeSend;
          this.beforeSend = undefined;
          hook();
        }
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        fetch(this.target + req.url, { method: req.method, headers: { 'content-type': 'application/json' }, body })
          .then(async (answer) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()))
          .catch(() => res.destroy());
      });
    });
    this.server.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => this.server!.once('listening', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/**
 * MariaDB restarting, as the bot sees it: every connection dropped and new ones refused for a few
 * seconds, then the same data back. The cut is made twice at the worst moments: once as WeCom
 * takes a reply (the "sent" mark cannot be written), once in the middle of a turn (the draft is
 * read, the replies cannot be queued). Callbacks meanwhile cannot be stored: they get a 500 and are
 * posted again, as WeCom retries them.
 */
describe.runIf(faultTestsEnabled)('MariaDB restarted during a stream of WeCom callbacks', () => {
  let deployment: Deployment;
  let interposer: Interposer | undefined;
  afterEach(async () => {
    await deployment?.close();
    await interposer?.close();
  });

  it('refuses what it cannot store, and handles and answers every stored callback exactly once, in order', { timeout: 60_000 }, async () => {
    deployment = await new Deployment().open({ proxyDatabase: true });
    interposer = await new Interposer(deployment.fake.url).start();
    const proxy = deployment.dbProxy!;
    let restarted = Promise.resolve();
    const restart = () => {
      proxy.pause();
      restarted = sleep(DOWN_MS).then(() => proxy.resume());
    };
    let cutMidTurn = false;
    const bot = await deployment.startBot(
      { WECOM_API_BASE: interposer.url },
      {
        tapState: (store) =>
          tapReads(store, (key) => {
            if (!cutMidTurn || !key.startsWith('dialogue:')) return;
            cutMidTurn = false;
            restart();
          }),
      },
    );
    const members = MEMBERS.map((id) => deployment.member(id));
    const scripts = MEMBERS.map((id) => talkScript(`与杨帆交流了年度工作安排（${id}），谈了思想和工作两方面。`));
    // WeCom retries a callback that was not answered 200 a few seconds later; a person types on
    // only after that, so each member's messages stay in order.
    const postLine = (i: number) => Promise.all(members.map((m, k) => m.says(bot.url, scripts[k][i], { retries: 40, pauseMs: 250 })));

    for (let i = 0; i < 3; i++) await postLine(i);
    await deployment.settle();

    // First restart: as WeCom takes the next reply.
    interposer.beforeSend = restart;
    for (let i = 3; i < 6; i++) await postLine(i);
    await restarted;

    // Second restart: in the middle of a turn.
    cutMidTurn = true;
    for (let i = 6; i < 10; i++) await postLine(i);
    await restarted;
    await deployment.settle({ timeoutMs: 20_000 });

    // Both restarts happened, and some callbacks were refused and then posted again.
    expect(interposer.beforeSend).toBeUndefined();
    expect(cutMidTurn).toBe(false);
    expect(proxy.refused).toBeGreaterThan(0);
    const statuses = members.flatMap((m) => m.posts.map((p) => p.status));
    expect(statuses.some((s) => s >= 500)).toBe(true);
    // …and each message ended with a 200: stored once, whatever number of tries it took.
    for (const m of members) expect(new Set(m.posts.filter((p) => p.status === 200).map((p) => p.msgId)).size).toBe(10);

    const inbox: { status: string }[] = await deployment.db.query('SELECT status FROM inbox');
    expect(inbox).toHaveLength(MEMBERS.length * 10);
    expect(inbox.every((r) => r.status === 'done')).toBe(true);

    const { expected, delivered } = await deployment.outboxAgainstWecom();
    expect(delivered).toEqual(expected);
    for (const id of MEMBERS) expect(gist(delivered[id])).toEqual(TALK_TRANSCRIPT);
    const talks = await talksByWecomId(deployment.db);
    for (const [k, id] of MEMBERS.entries()) expect(talks[id]).toEqual([{ summary: scripts[k][6], place: '局长办公室', talkees: 1 }]);
    // The first restart did land between WeCom taking a reply and the bot writing that down.
    expect(bot.logLines.some((l) => l.msg === 'outcome of a send not written yet; kept until the database answers')).toBe(true);
  });
});
