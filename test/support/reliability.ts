import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DataSource } from 'typeorm';
import { expect } from 'vitest';
import type { OutboundMessage } from '../../src/channels/port';
import { sendBody } from '../../src/channels/wecom/messages';
import type { ManualClock } from '../../src/clock';
import type { Bot } from '../../src/container';
import { createLogger } from '../../src/logger';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { RedisStateStore } from '../../src/state/redisStateStore';
import type { StateStore } from '../../src/state/stateStore';
import { createDataSource } from '../../src/storage/dataSource';
import { attachFieldCipher } from '../../src/storage/fieldCipher';
import { testCipher } from './fieldKeys';
import { AGENT_ID, SAMPLE, SECRET, postCallback, seal, textXml, wecomEnv } from '../channels/wecom/callbacks';
import { freshMysqlDatabase, mysqlUrl, redisUrl, testClock } from './backends';
import { FakeWecom } from './fakeWecom';
import { FaultProxy } from './faultProxy';
import { createTestBot, testConfig } from './fixtures';
import { serve } from './http';
import { selectOpened } from '../../src/storage/confidential';

/** The fault tests need a real MariaDB and Redis: they run where both are configured (CI). */
export const faultTestsEnabled = Boolean(mysqlUrl && redisUrl);

/**
 * One deployment under test: a fresh MariaDB database holding the sample roster (whose people have
 * WeCom ids), a fresh Redis key prefix, a fake WeCom API, and optionally a fault proxy in front of
 * each service. `db` is the test's own connection, never cut, for setting up and checking.
 */
export class Deployment {
  db!: DataSource;
  databaseUrl = '';
  readonly redisPrefix = `dandang-test:${randomBytes(6).toString('hex')}:`;
  fake!: FakeWecom;
  clock: ManualClock = testClock();
  dbProxy?: FaultProxy;
  redisProxy?: FaultProxy;
  /** The Redis the bots use: the shared one unless a test runs its own (redis-server, Sentinel). */
  redisUrl = redisUrl!;
  /** Extra settings every bot of this deployment starts with (e.g. REDIS_SENTINELS). */
  env: NodeJS.ProcessEnv = {};
  readonly bots: RunningBot[] = [];
  private dropDatabase?: () => Promise<void>;

  async open(options: { proxyDatabase?: boolean; proxyRedis?: boolean; redisUrl?: string; env?: NodeJS.ProcessEnv } = {}): Promise<this> {
    this.redisUrl = options.redisUrl ?? this.redisUrl;
    this.env = options.env ?? {};
    const fresh = await freshMysqlDatabase();
    this.databaseUrl = fresh.url;
    this.dropDatabase = fresh.drop;
    this.db = attachFieldCipher(createDataSource({ kind: 'mysql', url: fresh.url }), testCipher);
    await this.db.initialize();
    await this.db.runMigrations();
    await importRosterFile(this.db, SAMPLE_ROSTER_PATH, this.clock);
    this.fake = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
    if (options.proxyDatabase) this.dbProxy = await FaultProxy.inFrontOf(fresh.url);
    if (options.proxyRedis) this.redisProxy = await FaultProxy.inFrontOf(this.redisUrl);
    return this;
  }

  /**
   * A bot on its own connections (through the proxies when there are any), served on a loopback
   * port, its background worker running every `workerIntervalMs` as in production.
   */
  async startBot(
    env: NodeJS.ProcessEnv = {},
    options: { workerIntervalMs?: number; tapState?: (store: StateStore) => StateStore } = {},
  ): Promise<RunningBot> {
    const databaseUrl = this.dbProxy ? this.dbProxy.rewrite(this.databaseUrl) : this.databaseUrl;
    const db = attachFieldCipher(createDataSource({ kind: 'mysql', url: databaseUrl }), testCipher);
    await db.initialize();
    const redisSettings = Object.entries({ ...this.env, ...env }).filter(([key]) => key.startsWith('REDIS_'));
    const config = testConfig(Object.fromEntries(redisSettings));
    const store = new RedisStateStore(config.redis ?? (this.redisProxy ? this.redisProxy.rewrite(this.redisUrl) : this.redisUrl), this.redisPrefix);
    const state = options.tapState ? options.tapState(store) : store;
    const logLines: Record<string, unknown>[] = [];
    const logger = createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) });
    const bot = await createTestBot(
      { db, state, clock: this.clock, logger },
      { ...wecomEnv(this.fake), WECOM_API_TIMEOUT_MS: '300', WORKER_INTERVAL_MS: String(options.workerIntervalMs ?? 50), DATABASE_URL: databaseUrl, ...this.env, ...env },
    );
    const server = await serve(bot.app);
    bot.worker.start();
    const running = new RunningBot(bot, server.url, logLines, async () => {
      await server.close();
      await bot.close();
    });
    this.bots.push(running);
    return running;
  }

  /** Someone on WeCom, writing to the bot at `bot` (any instance: WeCom posts to the load balancer). */
  member(userId: string): Member {
    return new Member(this, userId);
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    return Number(((await this.db.query(sql, params)) as { n: number | string }[])[0].n);
  }

  /** Waits, with the clock moving on so that outbox retries fall due, until every event is handled and every message sent. */
  async settle(options: { timeoutMs?: number; advanceMs?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const open = await this.count(
        `SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'pending') + (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')) AS n`,
      );
      if (open === 0) return;
      if (Date.now() > deadline) throw new Error(`not settled: ${open} events or messages still open\n${await this.describeOpen()}`);
      this.clock.advance(options.advanceMs ?? 5_000);
      await Promise.all(this.bots.filter((b) => !b.closed).map((b) => b.bot.worker.kick()));
      await sleep(50);
    }
  }

  async describeOpen(): Promise<string> {
    const inbox = await this.db.query(`SELECT id, user_key, status, attempts, error FROM inbox WHERE status <> 'done'`);
    const outbox = await this.db.query(`SELECT id, recipient, status, attempts, error FROM outbox WHERE status <> 'sent'`);
    return JSON.stringify({ inbox, outbox });
  }

  /**
   * For each recipient, what the outbox holds (in order) as WeCom request bodies, and what WeCom
   * accepted: equal lists mean every message was delivered exactly once, in order. Card updates
   * (greying out a card) go to another endpoint and are left out.
   */
  async outboxAgainstWecom(): Promise<{ expected: Record<string, unknown[]>; delivered: Record<string, unknown[]> }> {
    const rows: { recipient: string; payload: string; status: string }[] = await this.db.query(
      `SELECT recipient, payload, status FROM outbox WHERE channel = 'wecom' ORDER BY id`,
    );
    const expected: Record<string, unknown[]> = {};
    for (const row of rows) {
      const message = JSON.parse(row.payload) as OutboundMessage;
      if (message.kind === 'cardUpdate') continue;
      (expected[row.recipient] ??= []).push(sendBody(AGENT_ID, row.recipient, message));
    }
    const delivered: Record<string, unknown[]> = {};
    // The duplicate-check fields are how a message is sent, not what it says: left out here.
    const withoutCheck = (body: Record<string, unknown>) => Object.fromEntries(Object.entries(body).filter(([key]) => !key.startsWith('duplicate_check') && key !== 'enable_duplicate_check'));
    for (const body of this.fake.delivered().map(withoutCheck)) (delivered[body.touser as string] ??= []).push(body);
    return { expected, delivered };
  }

  async close(): Promise<void> {
    for (const running of this.bots) if (!running.closed) await running.close().catch(() => undefined);
    await this.dbProxy?.close();
    await this.redisProxy?.close();
    await this.fake?.close();
    if (this.db?.isInitialized) await this.db.destroy();
    await this.dropDatabase?.();
    // The fresh prefix's keys (drafts, tokens, locks) are left to expire: most carry a TTL and the
    // prefix is never reused.
  }
}

export class RunningBot {
  closed = false;

  constructor(
    readonly bot: Bot,
    readonly url: string,
    readonly logLines: Record<string, unknown>[],
    private readonly stop: () => Promise<void>,
  ) {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stop();
  }
}

let messageIds = BigInt(Date.now()) * 1000n;

/** One WeCom member: each message gets a MsgId of its own, kept for WeCom-style retries. */
export class Member {
  readonly posts: { text: string; msgId: string; status: number }[] = [];

  constructor(
    private readonly deployment: Deployment,
    readonly userId: string,
  ) {}

  /**
   * Sends one text as WeCom does: encrypted and signed, to `url`. Anything but 200 makes WeCom
   * post it again (it does so a few seconds apart); so does this, up to `retries` times, `pauseMs`
   * apart. Returns the statuses seen, the last being 200 unless retries ran out.
   */
  async says(url: string | (() => string), text: string, options: { retries?: number; pauseMs?: number } = {}): Promise<number[]> {
    const msgId = String(++messageIds);
    const statuses: number[] = [];
    for (let attempt = 0; attempt <= (options.retries ?? 0); attempt++) {
      const status = await this.post(typeof url === 'string' ? url : url(), text, msgId);
      statuses.push(status);
      this.posts.push({ text, msgId, status });
      if (status === 200) break;
      await sleep(options.pauseMs ?? 200);
    }
    return statuses;
  }

  /** Posts this member's earlier message again, as WeCom redelivers one it is unsure of. */
  async repeats(url: string, msgId: string, text: string): Promise<number> {
    return this.post(url, text, msgId);
  }

  private async post(url: string, text: string, msgId: string): Promise<number> {
    const createTime = Math.floor(this.deployment.clock.now().getTime() / 1000);
    const sealed = seal(textXml({ from: this.userId, text, msgId, createTime }), { timestamp: createTime });
    try {
      const res = await postCallback(url, sealed);
      await res.body?.cancel();
      return res.status;
    } catch {
      return 0; // no answer at all: WeCom retries this too
    }
  }
}

/**
 * Members walking 记录谈话 side by side: `postLine(i)` posts line i of every member's script at once,
 * each retried as WeCom retries a callback that was not answered 200.
 */
export function talkers(deployment: Deployment, url: string, ids: string[], retry = { retries: 20, pauseMs: 250 }) {
  const members = ids.map((id) => deployment.member(id));
  const scripts = ids.map((id) => talkScript(`与杨帆交流了年度工作安排（${id}），谈了思想和工作两方面。`));
  return { members, scripts, postLine: (i: number) => Promise.all(members.map((m, k) => m.says(url, scripts[k][i], retry))) };
}

/** Every reply delivered once and in order, each dialogue step by step to its receipt, one record each. */
export async function expectTalksRecorded(deployment: Deployment, ids: string[], scripts: string[][]): Promise<void> {
  const { expected, delivered } = await deployment.outboxAgainstWecom();
  expect(delivered).toEqual(expected);
  for (const id of ids) expect(gist(delivered[id])).toEqual(TALK_TRANSCRIPT);
  const talks = await talksByWecomId(deployment.db);
  for (const [k, id] of ids.entries()) expect(talks[id]).toEqual([{ summary: scripts[k][6], place: '局长办公室', talkees: 1 }]);
}

/** 记录谈话 from start to the receipt, typed (every step accepts typed answers). */
export function talkScript(summary: string): string[] {
  return ['记录谈话', '杨帆', '2026-11-20', '局长办公室', '1', '1,2', summary, '跳过', '跳过', '提交'];
}

/** The talks the sample roster's WeCom members recorded, by WeCom id. */
export async function talksByWecomId(db: DataSource): Promise<Record<string, { summary: string; place: string; talkees: number }[]>> {
  const rows: { wecom: string; summary: string; place: string; talkees: number | string }[] = await selectOpened(
    db,
    'talks',
    `SELECT p.wecom_user_id AS wecom, t.summary, t.place, (SELECT COUNT(*) FROM talk_participants tp WHERE tp.talk_id = t.id) AS talkees
     FROM talks t JOIN people p ON p.id = t.talker_id ORDER BY t.id`,
  );
  const result: Record<string, { summary: string; place: string; talkees: number }[]> = {};
  for (const r of rows) (result[r.wecom] ??= []).push({ summary: r.summary, place: r.place, talkees: Number(r.talkees) });
  return result;
}

/** What each message of 记录谈话 says, in order, without what varies (ids, record numbers). */
export const TALK_TRANSCRIPT = [
  '好的，我们来记录一次',
  '【谈心谈话记录 · 第 1/8 步】',
  // A step with buttons: its question as text, then a card holding only the buttons.
  '【谈心谈话记录 · 第 2/8 步】',
  'card:请选择：谈话日期',
  '【谈心谈话记录 · 第 3/8 步】',
  '【谈心谈话记录 · 第 4/8 步】',
  'card:请选择：谈话类型',
  '【谈心谈话记录 · 第 5/8 步】',
  '【谈心谈话记录 · 第 6/8 步】',
  '【谈心谈话记录 · 第 7/8 步】',
  '【谈心谈话记录 · 第 8/8 步】',
  // The confirmation: every answer in a message, then a card that only asks 提交 / 修改 / 取消.
  '请核对谈心谈话记录：',
  'card:请确认谈心谈话记录',
  '已保存谈话记录（编号',
];

/**
 * The gist of each message WeCom accepted for one member, in order: a text's heading or first
 * words, a card's title. The yearly talk progress line that follows a receipt depends on the
 * person and is left out. A repeated, missing or reordered step shows as a difference from
 * TALK_TRANSCRIPT.
 */
export function gist(bodies: unknown[]): string[] {
  return bodies
    .map((raw) => {
      const body = raw as { msgtype: string; text?: { content: string }; markdown?: { content: string }; template_card?: { main_title: { title: string } } };
      if (body.msgtype === 'template_card') return `card:${body.template_card!.main_title.title}`;
      const content = body.text?.content ?? body.markdown?.content ?? '';
      return content.startsWith('【') ? content.split('\n')[0] : content.slice(0, 10);
    })
    .filter((line) => !line.startsWith('谈话进度'));
}

/**
 * Wraps a state store so that `onGet(key)` runs before every read: a test cuts a service at an
 * exact point of a turn (e.g. when the draft is read, after the user's lock was taken).
 */
export function tapReads(inner: StateStore, onGet: (key: string) => void): StateStore {
  const tapped = Object.create(inner) as StateStore;
  tapped.get = (key: string) => {
    onGet(key);
    return inner.get(key);
  };
  return tapped;
}
