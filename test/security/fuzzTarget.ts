import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { expect } from 'vitest';
import type { DataSource } from 'typeorm';
import type { ManualClock } from '../../src/clock';
import type { Bot } from '../../src/container';
import { createLogger } from '../../src/logger';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { MemoryStateStore } from '../../src/state/memoryStateStore';
import { APP_KEY, APP_SECRET, dingtalkEnv, ROBOT_CODE } from '../channels/dingtalk/callbacks';
import { AGENT_ID, SAMPLE, SECRET, wecomEnv } from '../channels/wecom/callbacks';
import { databaseBackends, testClock } from '../support/backends';
import { FakeDingtalk } from '../support/fakeDingtalk';
import { FakeWecom } from '../support/fakeWecom';
import { createTestBot } from '../support/fixtures';
import { serve } from '../support/http';

/**
 * What the fuzz tests aim at: one bot with every way in switched on (WeCom, DingTalk in HTTP mode,
 * the simulator; or the simulator alone), the sample roster with ids on both messengers, fake
 * platform APIs to take the replies, on SQLite and the in-process store (a store outage is not what
 * these tests are about). Every log line at error level or above is kept: a refused input is a
 * warning at most.
 */
export class FuzzTarget {
  bot!: Bot;
  db!: DataSource;
  clock: ManualClock = testClock();
  url = '';
  port = 0;
  /** The admin listener's port: the simulator's requests go there, everything else to `port`. */
  adminPort = 0;
  wecom!: FakeWecom;
  dingtalk!: FakeDingtalk;
  /** Error-level log lines (500s, failed turns, failed background passes), parsed. */
  readonly errors: Record<string, unknown>[] = [];
  private server?: Awaited<ReturnType<typeof serve>>;
  private adminServer?: Awaited<ReturnType<typeof serve>>;
  private dispose?: () => Promise<void>;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });
  private counts = { inbox: 0, outbox: 0 };

  /**
   * `messengers: false` leaves WeCom and DingTalk off, so that everyone's notifications land in
   * the simulator's transcript (with them on, people who have a messenger id are told there).
   */
  async open(options: { messengers?: boolean } = {}): Promise<this> {
    const { db, dispose } = await databaseBackends[0].open();
    this.db = db;
    this.dispose = dispose;
    await importRosterFile(db, SAMPLE_ROSTER_PATH, this.clock);
    await db.query(`UPDATE people SET wecom_user_id = 'wx-' || lower(code) WHERE wecom_user_id IS NULL`);
    await db.query(`UPDATE people SET dingtalk_user_id = 'dt-' || lower(code) WHERE dingtalk_user_id IS NULL`);
    this.wecom = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
    this.dingtalk = await new FakeDingtalk(APP_KEY, APP_SECRET, ROBOT_CODE).start();
    const logger = createLogger('info', {
      write: (line: string) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (Number(parsed.level) >= 50 && this.errors.length < 50) this.errors.push(parsed);
      },
    });
    this.bot = await createTestBot(
      { db, clock: this.clock, logger, state: new MemoryStateStore(this.clock) },
      options.messengers === false ? {} : { ...wecomEnv(this.wecom), ...dingtalkEnv(this.dingtalk) },
    );
    this.server = await serve(this.bot.app);
    this.url = this.server.url;
    this.port = Number(new URL(this.url).port);
    this.adminServer = await serve(this.bot.adminApp);
    this.adminPort = Number(new URL(this.adminServer.url).port);
    return this;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.server?.close();
    await this.adminServer?.close();
    await this.bot?.close();
    await this.wecom?.close();
    await this.dingtalk?.close();
    await this.dispose?.();
  }

  /** Unix seconds by the bot's clock, what a fresh callback carries. */
  nowS(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  /** One HTTP exchange over a kept-alive loopback connection; the body may be any bytes. */
  send(req: FuzzRequest): Promise<FuzzAnswer> {
    return new Promise((resolve, reject) => {
      const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.portFor(req.path),
          method: req.method,
          path: req.path,
          agent: this.agent,
          headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...req.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** The simulator is on the admin listener; requests for it are sent there. */
  private portFor(target: string): number {
    return /^(?:\w+ )?\/simulator/i.test(target) ? this.adminPort : this.port;
  }

  /**
   * Bytes written straight to a fresh socket, for requests no HTTP client would make (a broken
   * request line, bytes that are not UTF-8 in the path). Answers the status line, or '' when the
   * server closed the connection without one.
   */
  sendRaw(bytes: Buffer): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect(this.portFor(bytes.toString('latin1').split('\r\n')[0]), '127.0.0.1');
      const chunks: Buffer[] = [];
      const done = () => resolve(Buffer.concat(chunks).toString('latin1').split('\r\n')[0]);
      socket.setTimeout(2_000, () => socket.destroy());
      socket.on('data', (chunk) => chunks.push(chunk));
      socket.on('close', done);
      socket.on('error', () => undefined);
      socket.end(bytes);
    });
  }

  /**
   * Sends one fuzzed request and checks the answer: no 5xx, no stack trace or source path in the
   * body, and nothing recorded unless the request was accepted (200). An accepted one is handled
   * and its replies sent before the next request, so the counts never move behind a test's back.
   */
  async exchange(req: FuzzRequest, options: { mayEcho?: boolean } = {}): Promise<FuzzAnswer> {
    const answer = await this.send(req);
    if (answer.status === 200) await this.settle();
    const before = this.counts;
    this.counts = await this.tableCounts();
    expectSafe(answer, options.mayEcho);
    if (answer.status !== 200) expect(this.counts, `${req.method} ${req.path.slice(0, 80)} answered ${answer.status} but recorded something`).toEqual(before);
    else expect(this.counts.inbox - before.inbox).toBeLessThanOrEqual(1);
    return answer;
  }

  /**
   * Handles what was received and sends what is queued. The clock moves on while messages wait
   * (WeCom's 30 a minute per member, retry back-off), as the real one would.
   */
  async settle(): Promise<void> {
    for (let round = 0; round < 500; round++) {
      await this.bot.inboxWorker.drainAll();
      await this.bot.outbox.dispatchDue();
      const [open]: { n: number }[] = await this.db.query(
        `SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'pending') + (SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')) AS n`,
      );
      if (Number(open.n) === 0) return;
      this.clock.advance(5_000);
    }
    const open = await this.db.query(
      `SELECT 'inbox' AS t, id, status, attempts, error, user_key AS who FROM inbox WHERE status = 'pending'
       UNION ALL SELECT 'outbox', id, status, attempts, error, recipient FROM outbox WHERE status IN ('pending', 'sending')`,
    );
    throw new Error(`events or messages still open after 500 rounds: ${JSON.stringify(open).slice(0, 1000)}`);
  }

  async tableCounts(): Promise<{ inbox: number; outbox: number }> {
    const [row]: { inbox: number; outbox: number }[] = await this.db.query(
      'SELECT (SELECT COUNT(*) FROM inbox) AS inbox, (SELECT COUNT(*) FROM outbox) AS outbox',
    );
    return { inbox: Number(row.inbox), outbox: Number(row.outbox) };
  }

  /** After a run: every recorded event was handled at the first try, nothing logged an error, the app still answers. */
  async expectHealthy(): Promise<void> {
    await this.settle();
    const [turns]: { failed: number }[] = await this.db.query(`SELECT COUNT(*) AS failed FROM inbox WHERE attempts > 0 OR status <> 'done'`);
    expect(Number(turns.failed), 'events whose handling failed').toBe(0);
    expect(this.errors).toEqual([]);
    expect((await this.send({ method: 'GET', path: '/healthz' })).status).toBe(200);
  }
}

export interface FuzzRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface FuzzAnswer {
  status: number;
  body: string;
}

/** A stack frame, a source file or the checkout's path: what an answer must never show. */
const LEAK = [/\n\s+at\s/, /\bat [\w$.<>]+ \(/, /node_modules/, /\.(?:ts|js|mjs|cjs):\d+/, /[A-Za-z]*Error:\s/];

export function expectSafe(answer: FuzzAnswer, mayEcho = false): void {
  expect(answer.status, answer.body.slice(0, 300)).toBeGreaterThanOrEqual(200);
  expect(answer.status, answer.body.slice(0, 300)).toBeLessThan(500);
  expect(answer.body).not.toContain(process.cwd());
  // A 200 may echo what the person wrote (the simulator's replies, the URL check's plaintext).
  if (mayEcho && answer.status === 200) return;
  for (const pattern of LEAK) expect(answer.body).not.toMatch(pattern);
}

/** Keeps generated text clear of what expectSafe looks for, so an echo is never taken for a leak. */
export const harmless = (s: string): boolean => !s.includes(process.cwd()) && !/node_modules|\.(?:ts|js):\d|Error:|\bat \S+ \(/.test(s);

let gcFunction: (() => void) | undefined;

/** The V8 heap in use after a full collection (gc exposed at run time, no flag on the worker needed). */
export function heapAfterGc(): number {
  if (!gcFunction) {
    setFlagsFromString('--expose-gc');
    gcFunction = runInNewContext('gc') as () => void;
  }
  gcFunction();
  gcFunction();
  return process.memoryUsage().heapUsed;
}

/**
 * Sends `requests` round and round: `warmups` times to warm up (caches, JIT, lazily built state), then `rounds`
 * more times, taking the heap after a full collection after each round. Answers the growth per
 * request (least-squares slope, bytes): a leak of a few hundred bytes a request shows; the noise of
 * a collected heap, a few hundred kB either way, does not.
 */
export async function heapPerRequest(
  requests: FuzzRequest[],
  rounds: number,
  send: (r: FuzzRequest) => Promise<unknown>,
  warmups = 3,
): Promise<{ slope: number; samples: number[] }> {
  for (let round = 0; round < warmups; round++) for (const r of requests) await send(r);
  const samples = [heapAfterGc()];
  for (let round = 0; round < rounds; round++) {
    for (const r of requests) await send(r);
    samples.push(heapAfterGc());
  }
  const xs = samples.map((_, i) => i * requests.length);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = samples.reduce((a, b) => a + b, 0) / samples.length;
  const slope = xs.reduce((sum, x, i) => sum + (x - meanX) * (samples[i] - meanY), 0) / xs.reduce((sum, x) => sum + (x - meanX) ** 2, 0);
  return { slope, samples };
}

/** What a memory test may grow by per refused request, in bytes: flat, within the heap's noise. */
export const FLAT_BYTES_PER_REQUEST = 512;

/** `count` requests drawn from `arbitrary` that the target refuses (anything but a 200), each sent once to find out. */
export async function refusedSample(target: FuzzTarget, arbitrary: fc.Arbitrary<FuzzRequest>, count: number): Promise<FuzzRequest[]> {
  const refused: FuzzRequest[] = [];
  for (const request of fc.sample(arbitrary, { seed: 7, numRuns: count * 3 })) {
    if ((await target.send(request)).status !== 200) refused.push(request);
    if (refused.length === count) break;
  }
  return refused;
}

/** A counterexample shortened for the report: long strings (a 256 kB body) keep their ends. */
function shortened(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (Buffer.isBuffer(v) || (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer')) return `<${(v as Buffer).length ?? '?'} bytes>`;
    return typeof v === 'string' && v.length > 300 ? `${v.slice(0, 200)}…(${v.length} chars)…${v.slice(-60)}` : v;
  });
}

/**
 * fast-check settings: a fixed seed (so CI is repeatable) unless FUZZ_SEED says otherwise, FUZZ_SCALE
 * times the runs, `examples` first, and a failure report that names the seed and a shortened
 * counterexample.
 */
export function fuzzParams<T>(numRuns: number, examples: T[] = []): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_260_901;
  return {
    seed,
    // Inputs fuzzing once found a failure with, tried first on every run.
    examples,
    numRuns: Math.max(1, Math.round(numRuns * Number(process.env.FUZZ_SCALE ?? 1))),
    endOnFailure: true,
    reporter(details) {
      if (!details.failed) return;
      const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
      throw new Error(`fuzz property failed after ${details.numRuns} runs (FUZZ_SEED=${details.seed}, path ${details.counterexamplePath})\ncounterexample: ${shortened(details.counterexample)}\n${cause}`);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Mutations shared by the channels
// ---------------------------------------------------------------------------------------------

/** Flips one bit of a byte string at a position chosen as a fraction of its length. */
export function flipBit(data: Buffer, at: number, bit: number): Buffer {
  if (data.length === 0) return data;
  const copy = Buffer.from(data);
  const index = Math.min(copy.length - 1, Math.floor(at * copy.length));
  copy[index] ^= 1 << bit;
  return copy;
}

/** Percent-encodes every byte but letters and digits (lone surrogates become U+FFFD, as in UTF-8). */
export function pct(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).padStart(2, '0')}`)).join('');
}

/** The first part of a string, cut at a fraction of its length. */
export function cut(data: string, at: number): string {
  return data.slice(0, Math.floor(at * data.length));
}

/** A fraction in [0, 1]: where to cut or flip. */
export const fraction = fc.double({ min: 0, max: 1, noNaN: true });

/** A base64 string with one bit of what it encodes flipped, or cut short: corrupted in transit. */
export const corruptBase64 = (value: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(7)).map(([at, bit]) => flipBit(Buffer.from(value, 'base64'), at, bit).toString('base64')),
    fc.double({ min: 0, max: 1, noNaN: true }).map((at) => cut(value, at)),
    fc.double({ min: 0, max: 1, noNaN: true }).map((at) => Buffer.from(value, 'base64').subarray(0, Math.floor(at * 48) + 1).toString('base64')),
    fc.tuple(fc.nat(value.length), fc.constantFrom('=', '*', ' ', '%', '\u00e9', '\n', '+', '/')).map(([at, c]) => value.slice(0, at) + c + value.slice(at + 1)),
  );

/** Text as people type it and as attackers do: any Unicode, lone surrogates, controls, very long. */
export const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\u202e', '\ufeff', '\ud800', '\udfff', '\u0085', '\r', '\n', '<', '&', ']]>', '"', "'") , maxLength: 30 }) },
  { weight: 1, arbitrary: fc.nat({ max: 6000 }).map((n) => '中'.repeat(n)) },
).filter(harmless);

/** Bytes that are not valid UTF-8: stray continuation bytes, overlong forms, truncated sequences. */
export const invalidUtf8 = fc
  .array(fc.oneof(fc.constantFrom(0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xed, 0xf4, 0xf5, 0xff, 0xfe), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 64 })
  .map((bytes) => Buffer.from(bytes));

/** Random XML-ish documents, well-formed or not, with the tricks an XML parser has to survive. */
export const xmlish: fc.Arbitrary<string> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('', 'text', '&amp;', '&lt;', '&#x10FFFF;', '&#x110000;', '&#99999999;', '&#0;', '&unknown;', '&', '<![CDATA[ ]]>', '<![CDATA[<xml>]]]]><![CDATA[>]]>', '<!-- c -->', '<?pi x?>', ']]>'),
    anyText.map((t) => t.slice(0, 40)),
    fc
      .tuple(fc.constantFrom('xml', 'Encrypt', 'ToUserName', 'AgentID', 'FromUserName', 'Content', 'MsgType', 'a', 'b:c', '1bad', 'x y'), fc.array(tie('node'), { maxLength: 3 }), fc.boolean())
      .map(([name, children, closed]) => `<${name}>${(children as string[]).join('')}${closed ? `</${name}>` : ''}`),
  ),
})).node as fc.Arbitrary<string>;

/** Entity and DOCTYPE tricks: internal and external entities, parameter entities, billion laughs. */
export const entityTricks = fc.constantFrom(
  '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>',
  '<!DOCTYPE xml SYSTEM "file:///etc/passwd"><xml><Encrypt>x</Encrypt></xml>',
  '<!DOCTYPE xml [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">%p;]><xml/>',
  '<!doctype xml><xml><Encrypt>x</Encrypt></xml>',
  '<xml><Encrypt>&xxe;</Encrypt></xml>',
  '<xml><!ENTITY x "y"><Encrypt>x</Encrypt></xml>',
  '<xml><Encrypt><![CDATA[a]]><![CDATA[b]]></Encrypt></xml>',
  '<xml><Encrypt>a</Encrypt><Encrypt>b</Encrypt></xml>',
  '<xml><Encrypt><Encrypt>a</Encrypt></Encrypt></xml>',
  '<xml><Encrypt a="1">x</Encrypt></xml>',
  '<?xml version="1.0" encoding="UTF-16"?><xml><Encrypt>x</Encrypt></xml>',
  '\ufeff<xml><Encrypt>x</Encrypt></xml>',
  '<xml>',
  '</xml>',
  '<xml/>',
  '<xml></xml><xml></xml>',
  '',
);

/** Deeply nested XML or JSON, under and over the body limit. */
export const deepXml = fc.integer({ min: 50, max: 40_000 }).map((depth) => `<xml>${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}</xml>`);
export const deepJson = fc
  .tuple(fc.integer({ min: 50, max: 120_000 }), fc.constantFrom('[', '{"a":'))
  .map(([depth, open]) => open.repeat(depth) + '1' + (open === '[' ? ']' : '}').repeat(depth));

export const contentTypes = fc.constantFrom(
  'text/xml',
  'application/xml; charset=utf-8',
  'application/json',
  'application/json; charset=gbk',
  'text/plain',
  'multipart/form-data; boundary=----x',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  '*/*',
  ';;;',
);

/** Methods a scanner tries on a webhook path. */
export const methods = fc.constantFrom('GET', 'HEAD', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'TRACE', 'MKCOL', 'COPY', 'LOCK', 'SEARCH', 'PURGE');

/** Requests broken at the HTTP level, written straight to the socket. */
export const brokenHttp = fc.oneof(
  fc.constantFrom(
    'GET /wecom/callback?echostr=%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n',
    'POST /wecom/callback HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    'POST /dingtalk/robot HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
    'POST /dingtalk/robot HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n',
    'POST /simulator/api/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n',
    'GARBAGE\r\n\r\n',
    'GET / HTTP/9.9\r\n\r\n',
    'GET /\u0000 HTTP/1.1\r\n\r\n',
    `GET /wecom/callback?${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
  ).map((s) => Buffer.from(s, 'latin1')),
  invalidUtf8.map((bytes) => Buffer.concat([Buffer.from('GET /wecom/callback?msg_signature='), bytes, Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')])),
  invalidUtf8.map((bytes) => Buffer.concat([Buffer.from('POST /simulator/api/'), bytes, Buffer.from(' HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}')])),
);

/** A raw status line that is an HTTP answer below 500, or no answer (Node dropped the connection). */
export function expectRawSafe(statusLine: string): void {
  if (statusLine === '') return;
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  expect(status, statusLine).toBeGreaterThanOrEqual(200);
  expect(status, statusLine).toBeLessThan(500);
}
