/**
 * Load benchmark: 500 cadres apply for 容错免责 at once over the encrypted WeCom callback, and the
 * three approvers of their unit (所在单位党组织 刘洋, 纪工委 吴海燕 with the 六看, 党工委 陈建国)
 * click their way through every approval, as people do: each waits for the bot's answer before the
 * next message or tap. Against MariaDB + Redis (TEST_DATABASE_URL/TEST_REDIS_URL, else
 * DATABASE_URL/REDIS_URL) in a fresh database and key prefix, with a fake WeCom API on loopback
 * taking the replies. Then the same with two bot instances behind a round-robin client.
 *
 * Reports: throughput (callbacks/s, completed applications/s), p50/p99 of the acknowledgement
 * (callback posted → 200) and of the whole handling (callback posted → the reply's message/send
 * reached the fake WeCom), errors (non-200, a reply that never came, a message missing or sent
 * twice: must be 0), and the process's peak RSS (one process: the client, the fake WeCom and the
 * bot(s)).
 *
 * WeCom lets an app send a member at most 30 messages a minute, and the bot keeps to that: 500
 * approval cards for one approver take 17 minutes by design. To measure the bot rather than that
 * cap, the bench hides the cap's window from the sender (a state-store wrapper); everything else
 * is the production wiring. Loopback only, bounded loops only.  Run: npm run bench:load
 * (LOAD_APPLICANTS=50 for a quick run; BENCH_SCALE=tiny: 3).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OutboundMessage } from '../src/channels/port';
import { sendBody } from '../src/channels/wecom/messages';
import { systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { createBot, type Bot } from '../src/container';
import { createLogger } from '../src/logger';
import { importRosterFile } from '../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../src/roster/sampleRoster';
import { RedisStateStore } from '../src/state/redisStateStore';
import type { StateStore } from '../src/state/stateStore';
import { insert } from '../src/storage/sql';
import { AGENT_ID, cardClickXml, SAMPLE, SECRET, seal, textXml } from '../test/channels/wecom/callbacks';
import { serve } from '../test/support/http';
import { freshMysqlDatabase } from '../test/support/backends';
import { LoopbackServer } from '../test/support/loopbackServer';
import { BENCH_DATA_KEYS, dropRedisKeys, mysqlUrl, percentile, redisUrl, tiny } from './support';

const APPLICANTS = Number(process.env.LOAD_APPLICANTS ?? (tiny ? 3 : 500));
/** How long one step may wait for its answer before it counts as missing. */
const STEP_TIMEOUT_MS = 180_000;
/** The whole run's bound. */
const RUN_TIMEOUT_MS = 30 * 60_000;


/** The approvers of 综合科 (经济发展局) in the sample roster, by WeCom id. */
const UNIT_HEAD = 'liuyang';
const DISCIPLINE = 'wuhaiyan';
const COMMITTEE = 'chenjianguo';
const APPROVERS = [UNIT_HEAD, DISCIPLINE, COMMITTEE];

// ---------------------------------------------------------------------------------------------
// A light fake of WeCom's API: tokens, message/send and update_template_card, and for each member
// what they were sent, so that a simulated phone can wait for its answer and tap its buttons.
// ---------------------------------------------------------------------------------------------

interface Delivered {
  seq: number;
  /** performance.now() when the fake received the message/send. */
  at: number;
  body: { touser: string; msgtype: string; text?: { content: string }; markdown?: { content: string }; template_card?: WecomCard };
}

interface WecomCard {
  task_id: string;
  main_title: { title: string };
  sub_title_text?: string;
  button_list: { text: string; key: string }[];
}

interface Waiter {
  after: number;
  match: (m: Delivered) => boolean;
  resolve: (m: Delivered) => void;
}

const contentOf = (m: Delivered): string =>
  m.body.text?.content ?? m.body.markdown?.content ?? [m.body.template_card?.main_title.title, m.body.template_card?.sub_title_text].join('\n');
const isApprovalCard = (m: Delivered) => Boolean(m.body.template_card?.main_title.title.includes('待您审批'));
/** What the bot tells an approver unasked: a new approval card, a task. Not the answer to their last tap. */
const unsolicited = (m: Delivered) => isApprovalCard(m) || /^【(?:待办|催办)】/.test(contentOf(m));
const hasButton = (label: string) => (m: Delivered) => Boolean(m.body.template_card?.button_list.some((b) => b.text === label));
const says = (pattern: RegExp) => (m: Delivered) => pattern.test(contentOf(m));

class LoadWecom extends LoopbackServer {
  seq = 0;
  tokens = 0;
  cardUpdates = 0;
  /** Per member, a digest of each message accepted, in order: compared with the outbox afterwards. */
  readonly digests = new Map<string, string[]>();
  private readonly recent = new Map<string, Delivered[]>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly approvalQueues = new Map<string, { cards: Delivered[]; wake?: () => void }>();

  /** The first message to `user` after `after` that matches; rejects after the step timeout. */
  next(user: string, after: number, match: (m: Delivered) => boolean): Promise<Delivered> {
    const already = (this.recent.get(user) ?? []).find((m) => m.seq > after && match(m));
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer for ${user} within ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS).unref();
      const waiter: Waiter = { after, match, resolve: (m) => (clearTimeout(timer), resolve(m)) };
      this.waiters.set(user, [...(this.waiters.get(user) ?? []), waiter]);
    });
  }

  /** The approver's next approval card not yet taken, in the order they arrived. */
  async nextApproval(user: string): Promise<Delivered> {
    const queue = this.approvalQueues.get(user) ?? { cards: [] };
    this.approvalQueues.set(user, queue);
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (queue.cards.length === 0) {
      if (Date.now() > deadline) throw new Error(`no approval card for ${user} within ${STEP_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => {
        queue.wake = resolve;
        setTimeout(resolve, 1_000);
      });
    }
    return queue.cards.shift()!;
  }

  protected override async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = (body: Record<string, unknown>): void => void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (url.pathname === '/cgi-bin/gettoken') {
      if (url.searchParams.get('corpsecret') !== SECRET) return answer({ errcode: 40001, errmsg: 'invalid credential' });
      this.tokens += 1;
      return answer({ errcode: 0, errmsg: 'ok', access_token: `load-token-${this.tokens}`, expires_in: 7200 });
    }
    if (!url.searchParams.get('access_token')?.startsWith('load-token-')) return answer({ errcode: 40014, errmsg: 'invalid access_token' });
    if (url.pathname === '/cgi-bin/message/update_template_card') {
      this.cardUpdates += 1;
      return answer({ errcode: 0, errmsg: 'ok' });
    }
    if (url.pathname !== '/cgi-bin/message/send') return answer({ errcode: 404, errmsg: 'no such endpoint' });
    const raw = Buffer.concat(chunks).toString('utf8');
    const body = JSON.parse(raw) as Delivered['body'];
    const message: Delivered = { seq: ++this.seq, at: performance.now(), body };
    const user = body.touser;
    // What was sent, apart from how WeCom is asked to check it for a duplicate (set per send).
    const sent: Record<string, unknown> = { ...body };
    delete sent.enable_duplicate_check;
    delete sent.duplicate_check_interval;
    this.digests.set(user, [...(this.digests.get(user) ?? []), digest(sent)]);
    // A member's last few messages are all a phone needs; older ones are let go.
    this.recent.set(user, [...(this.recent.get(user) ?? []).slice(-11), message]);
    if (APPROVERS.includes(user) && isApprovalCard(message)) {
      const queue = this.approvalQueues.get(user) ?? { cards: [] };
      queue.cards.push(message);
      this.approvalQueues.set(user, queue);
      queue.wake?.();
    }
    const waiting = this.waiters.get(user) ?? [];
    const matched = waiting.filter((w) => message.seq > w.after && w.match(message));
    if (matched.length > 0) this.waiters.set(user, waiting.filter((w) => !matched.includes(w)));
    for (const w of matched) w.resolve(message);
    answer({ errcode: 0, errmsg: 'ok', msgid: `m${message.seq}`, ...(body.msgtype === 'template_card' ? { response_code: `rc-${message.seq}` } : {}) });
  }
}

function digest(body: unknown): string {
  return createHash('sha1').update(JSON.stringify(body)).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Phones: a member typing and tapping over the encrypted callback, waiting for each answer.
// ---------------------------------------------------------------------------------------------

interface Stats {
  callbacks: number;
  ackMs: number[];
  /** Callback posted → first message of the answer accepted by the fake WeCom. */
  handlingMs: number[];
  errors: string[];
}

let msgIds = BigInt(Date.now()) * 1000n;
let responseCodes = 0;

class Phone {
  constructor(
    readonly userid: string,
    private readonly fake: LoadWecom,
    private readonly url: () => string,
    private readonly stats: Stats,
    /** Whether a message is the answer to this member's own action (approvers also get unasked cards). */
    private readonly isAnswer: (m: Delivered) => boolean = () => true,
  ) {}

  says(text: string, until?: (m: Delivered) => boolean): Promise<Delivered> {
    const msgId = String(++msgIds);
    return this.post((t) => textXml({ from: this.userid, text, msgId, createTime: t }), until);
  }

  /** Taps the button of this label on the card the bot sent (`on`: the answer that carried it). */
  tap(on: Delivered | WecomCard, label: string, until?: (m: Delivered) => boolean): Promise<Delivered> {
    const card = 'seq' in on ? on.body.template_card : on;
    const key = card?.button_list.find((b) => b.text === label)?.key;
    if (!card || !key) throw new Error(`${this.userid} was not shown a “${label}” button`);
    return this.post((t) => cardClickXml({ from: this.userid, createTime: t, eventKey: key, taskId: card.task_id, responseCode: `tap-${++responseCodes}` }), until);
  }

  /**
   * Posts one callback as WeCom does and waits for the answer: its first message is what the
   * handling time is measured to; `until` (default: that first message) is what the next step needs.
   */
  private async post(plaintext: (unixTime: number) => string, until?: (m: Delivered) => boolean): Promise<Delivered> {
    const after = this.fake.seq;
    const first = this.fake.next(this.userid, after, this.isAnswer);
    const needed = until ? this.fake.next(this.userid, after, (m) => this.isAnswer(m) && until(m)) : first;
    // Either may be given up on below; neither may then fail the process as unhandled.
    first.catch(() => undefined);
    needed.catch(() => undefined);
    const t = Math.floor(Date.now() / 1000);
    const sealed = seal(plaintext(t), { timestamp: t });
    const started = performance.now();
    this.stats.callbacks += 1;
    const response = await fetch(`${this.url()}/wecom/callback?${sealed.query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: sealed.body });
    await response.arrayBuffer();
    this.stats.ackMs.push(performance.now() - started);
    if (response.status !== 200) {
      this.stats.errors.push(`${this.userid}: callback answered ${response.status}`);
      throw new Error(`callback answered ${response.status}`);
    }
    const answer = await first;
    this.stats.handlingMs.push(answer.at - started);
    return needed;
  }
}

async function applicant(phone: Phone): Promise<void> {
  const scope = await phone.says('申请容错', hasButton('否'));
  await phone.tap(scope, '否', says(/哪一项问责事项/));
  await phone.says('1', says(/请简要描述被问责的事项/));
  const cityCadre = await phone.says('滨江项目征地补偿问题被纪工委启动问责', hasButton('否'));
  await phone.tap(cityCadre, '否', says(/请说明申请事由/));
  await phone.says('2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。', says(/第五条的哪几种情形/));
  const filing = await phone.says('二、三', says(/(\d+)\. 没有/));
  const integrated = await phone.says(/(\d+)\. 没有/.exec(contentOf(filing))![1], hasButton('否'));
  await phone.tap(integrated, '否', hasButton('完成'));
  const summary = await phone.says('完成', hasButton('提交'));
  await phone.tap(summary, '提交', says(/已提交容错免责申请，编号 RC\d{4}-\d{4}/));
}

/** An approver works through their approval cards one at a time, as they arrive. */
async function approver(phone: Phone, fake: LoadWecom, count: number, onDecided: () => void): Promise<void> {
  for (let i = 0; i < count; i++) {
    const card = (await fake.nextApproval(phone.userid)).body.template_card!;
    let summary: Delivered;
    if (phone.userid === DISCIPLINE) {
      await phone.tap(card, '开始核实');
      for (const finding of ['属于探索创新中的失误，不是有令不行。', '当时政策界限不明确，属先行先试。', '出于推进项目的公心，未谋取私利。', '经街道党工委会议集体研究决定。', '积极作为，遵循了项目推进规律。']) {
        await phone.says(finding);
      }
      const conclusion = await phone.says('发现问题后及时补救，挽回部分损失。', hasButton('予以容错免责'));
      await phone.tap(conclusion, '予以容错免责', says(/建议作哪些容错免责处理/));
      await phone.says('一、三', says(/纪（工）委意见/));
      summary = await phone.says('经调查核实，符合第五条（二）（三）情形，建议予以容错免责。', hasButton('提交'));
    } else if (phone.userid === UNIT_HEAD) {
      await phone.tap(card, '同意');
      summary = await phone.says('情况属实，同意报纪工委调查核实。', hasButton('提交'));
    } else {
      // An approval of the 纪工委's finding may amend its outcomes first; these keep them.
      const amend = await phone.tap(card, '同意', hasButton('否'));
      await phone.tap(amend, '否');
      summary = await phone.says('同意纪工委意见，予以容错免责。', hasButton('提交'));
    }
    await phone.tap(summary, '提交', says(/已记录您的(意见|认定)：/));
    onDecided();
  }
}

// ---------------------------------------------------------------------------------------------
// The deployment under load
// ---------------------------------------------------------------------------------------------

/** The state store as production has it, except that WeCom's per-member send cap never fills (see the header). */
function withoutSendCap(inner: StateStore): StateStore {
  const store = Object.create(inner) as StateStore;
  const capped = (key: string) => key.startsWith('wecom:rate:');
  store.get = (key) => (capped(key) ? Promise.resolve(undefined) : inner.get(key));
  store.compareAndSet = (key, expected, next, ttlMs) => (capped(key) ? Promise.resolve(true) : inner.compareAndSet(key, expected, next, ttlMs));
  return store;
}

async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  return freshMysqlDatabase(mysqlUrl, 'dandang_load_');
}



interface RunResult {
  label: string;
  stats: Stats;
  wallMs: number;
  applyWallMs: number;
  granted: number;
  peakRssMb: number;
  baseRssMb: number;
  retried: number;
  cardUpdates: number;
  outboxMessages: number;
  /** Members who got messages from concurrent turns in another order than the outbox ids (see exactlyOnce). */
  reordered: number;
}

async function run(instances: number): Promise<RunResult> {
  const database = await freshDatabase();
  const prefix = `dandang-load:${randomBytes(4).toString('hex')}:`;
  const fake = await new LoadWecom().start();
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: BENCH_DATA_KEYS, LOG_LEVEL: 'silent', DATABASE_URL: database.url, REDIS_URL: redisUrl, WORKER_INTERVAL_MS: '100',
    WECOM_CORP_ID: SAMPLE.corpId, WECOM_AGENT_ID: String(AGENT_ID), WECOM_SECRET: SECRET, WECOM_TOKEN: SAMPLE.token,
    WECOM_ENCODING_AES_KEY: SAMPLE.encodingAesKey, WECOM_API_BASE: fake.url, WECOM_API_TIMEOUT_MS: '10000',
  };
  const bots: Bot[] = [];
  const servers: { url: string; close(): Promise<void> }[] = [];
  try {
    for (let i = 0; i < instances; i++) {
      // The first instance migrates the fresh database; the roster goes in before anyone writes.
      const bot = await createBot(loadConfig(env), { state: withoutSendCap(new RedisStateStore(redisUrl!, prefix)), logger: createLogger('silent') });
      bots.push(bot);
      if (i === 0) await seedRoster(bot);
    }
    for (const bot of bots) {
      servers.push(await serve(bot.app));
      bot.worker.start();
    }
    let turn = 0;
    const url = () => servers[turn++ % servers.length].url;

    const stats: Stats = { callbacks: 0, ackMs: [], handlingMs: [], errors: [] };
    const baseRss = process.memoryUsage().rss;
    let peakRss = baseRss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    const started = performance.now();
    let applyWallMs = NaN;
    let decided = 0;
    let lastDecision = started;
    const bounded = <T>(work: Promise<T>) =>
      Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('run timed out')), RUN_TIMEOUT_MS).unref())]);

    const applicants = Array.from({ length: APPLICANTS }, (_, i) => new Phone(`load-${i}`, fake, url, stats));
    const approvers = APPROVERS.map((id) => new Phone(id, fake, url, stats, (m) => !unsolicited(m)));
    try {
      await bounded(
        Promise.all([
          Promise.all(applicants.map((phone) => applicant(phone).catch((e: unknown) => void stats.errors.push(`${phone.userid}: ${String(e)}`)))).then(() => {
            applyWallMs = performance.now() - started;
          }),
          ...approvers.map((phone) =>
            approver(phone, fake, APPLICANTS, () => {
              if (phone.userid === COMMITTEE) {
                decided += 1;
                lastDecision = performance.now();
              }
            }).catch((e: unknown) => void stats.errors.push(`${phone.userid}: ${String(e)}`)),
          ),
        ]),
      );
    } finally {
      clearInterval(sampler);
    }
    const wallMs = lastDecision - started;
    await settle(bots[0]);
    const db = bots[0].db;
    const [{ granted }]: { granted: number }[] = await db.query(`SELECT COUNT(*) AS granted FROM cases WHERE status = 'granted'`);
    const [{ retried }]: { retried: number }[] = await db.query(`SELECT COUNT(*) AS retried FROM inbox WHERE attempts > 0 OR status <> 'done'`);
    if (Number(granted) !== APPLICANTS) stats.errors.push(`${granted} of ${APPLICANTS} applications granted (expected all; ${decided} final decisions answered)`);
    const { messages, mismatches, reordered } = await exactlyOnce(db, fake);
    stats.errors.push(...mismatches);
    return {
      label: `${instances} instance${instances > 1 ? 's' : ''}`,
      stats,
      wallMs,
      applyWallMs,
      granted: Number(granted),
      peakRssMb: peakRss / 1e6,
      baseRssMb: baseRss / 1e6,
      retried: Number(retried),
      cardUpdates: fake.cardUpdates,
      outboxMessages: messages,
      reordered,
    };
  } finally {
    for (const s of servers) await s.close();
    for (const bot of bots) await bot.close();
    await fake.close();
    await database.drop();
    await dropRedisKeys(prefix);
  }
}

/** The roster: the sample one, and the 500 applicants in 综合科 (经济发展局), each with a WeCom id. */
async function seedRoster(bot: Bot): Promise<void> {
  await importRosterFile(bot.db, SAMPLE_ROSTER_PATH, systemClock);
  const [unit]: { id: number }[] = await bot.db.query(`SELECT id FROM units WHERE code = 'JG03-01'`);
  const now = new Date().toISOString();
  const people = Array.from({ length: APPLICANTS }, (_, i) => ({
    code: `L${String(i).padStart(4, '0')}`, name: `压测干部${i}`, post: '科员', nature: '行政', unit_id: unit.id, city_managed: 0,
    wecom_user_id: `load-${i}`, dingtalk_user_id: null, joined_on: null, left_on: null, created_at: now, updated_at: now,
  }));
  for (let i = 0; i < people.length; i += 100) await insert(bot.db, 'people', people.slice(i, i + 100));
}

/** Waits until nothing is left to handle or send (the workers are running). */
async function settle(bot: Bot): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const [{ open }]: { open: number }[] = await bot.db.query(
      `SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'pending') + (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')) AS open`,
    );
    if (Number(open) === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Every message the outbox holds was accepted by WeCom exactly once: per member, the same messages
 * (a missing or a doubled one is an error). Their order is compared too, but only reported: the
 * outbox keeps each turn's messages, and each person's turns, in order; messages that two people's
 * turns running at once queue for a third (an approval card, and that approver's own answer) have
 * no order between them, and go out as their transactions commit.
 */
async function exactlyOnce(db: Bot['db'], fake: LoadWecom): Promise<{ messages: number; mismatches: string[]; reordered: number }> {
  const rows: { recipient: string; payload: string }[] = await db.query(`SELECT recipient, payload FROM outbox ORDER BY id`);
  const expected = new Map<string, string[]>();
  let messages = 0;
  for (const row of rows) {
    const message = JSON.parse(row.payload) as OutboundMessage;
    if (message.kind === 'cardUpdate') continue;
    messages += 1;
    expected.set(row.recipient, [...(expected.get(row.recipient) ?? []), digest(sendBody(AGENT_ID, row.recipient, message))]);
  }
  const mismatches: string[] = [];
  let reordered = 0;
  for (const member of new Set([...expected.keys(), ...fake.digests.keys()])) {
    const want = expected.get(member) ?? [];
    const got = fake.digests.get(member) ?? [];
    const sortedWant = [...want].sort();
    const sortedGot = [...got].sort();
    if (sortedWant.length !== sortedGot.length || sortedWant.some((d, i) => d !== sortedGot[i])) {
      mismatches.push(`${member}: ${want.length} messages queued, ${got.length} accepted by WeCom, not the same ones`);
    } else if (want.some((d, i) => d !== got[i])) {
      reordered += 1;
    }
  }
  return { messages, mismatches, reordered };
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

function report(r: RunResult): string[] {
  const s = r.stats;
  return [
    `${r.label}:`,
    `  callbacks            ${s.callbacks} in ${(r.wallMs / 1000).toFixed(1)} s = ${((s.callbacks / r.wallMs) * 1000).toFixed(0)} callbacks/s`,
    `  applications         ${r.granted} granted = ${((r.granted / r.wallMs) * 1000).toFixed(2)} completed applications/s (all ${APPLICANTS} dialogues submitted after ${(r.applyWallMs / 1000).toFixed(1)} s)`,
    `  acknowledgement      p50 ${ms(percentile(s.ackMs, 0.5))}   p99 ${ms(percentile(s.ackMs, 0.99))}   max ${ms(Math.max(...s.ackMs))}`,
    `  whole handling       p50 ${ms(percentile(s.handlingMs, 0.5))}   p99 ${ms(percentile(s.handlingMs, 0.99))}   max ${ms(Math.max(...s.handlingMs))}  (callback → reply at WeCom)`,
    `  messages sent        ${r.outboxMessages} message/send, each accepted once, + ${r.cardUpdates} card updates; events retried: ${r.retried}; members whose messages from concurrent turns interleaved: ${r.reordered}`,
    `  errors               ${s.errors.length}${s.errors.length > 0 ? `: ${s.errors.slice(0, 10).join('; ')}` : ''}`,
    `  peak RSS             ${r.peakRssMb.toFixed(0)} MB (at start ${r.baseRssMb.toFixed(0)} MB; one process: client, fake WeCom and bot${r.label.startsWith('1') ? '' : 's'})`,
  ];
}

async function main(): Promise<void> {
  if (!mysqlUrl || !redisUrl) {
    console.error('bench:load needs MariaDB and Redis: set TEST_DATABASE_URL and TEST_REDIS_URL (or DATABASE_URL and REDIS_URL).');
    process.exitCode = 2;
    return;
  }
  console.log(`\n容错免责 load: ${APPLICANTS} applicants at once over the encrypted WeCom callback, 3 approvers clicking every approval; MariaDB + Redis; Node ${process.version}\n`);
  let failed = false;
  for (const instances of [1, 2]) {
    const result = await run(instances);
    for (const line of report(result)) console.log(line);
    console.log('');
    failed ||= result.stats.errors.length > 0;
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
