/**
 * Webhook benchmark: encrypted WeCom text messages and signed DingTalk robot messages (HTTP mode)
 * through the whole stack (signature, decrypt, inbox dedupe, the conversation engine's step on the
 * member's draft in the state store, the reply queued in the outbox), beside a bare Koa "hello"
 * server driven by the same client loop in the same run. MariaDB + Redis when
 * TEST_DATABASE_URL/TEST_REDIS_URL (or DATABASE_URL/REDIS_URL) are set, else SQLite + memory.
 * Loopback only, bounded loops only.  Run: npx tsx bench/webhook.ts
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Koa from 'koa';
import { systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { createBot } from '../src/container';
import { createLogger } from '../src/logger';
import { createStateStore } from '../src/state';
import { insert } from '../src/storage/sql';
import { postCallback, seal, textXml, wecomEnv, AGENT_ID, SAMPLE, SECRET, type Sealed } from '../test/channels/wecom/callbacks';
import { FakeWecom } from '../test/support/fakeWecom';
import { serve } from '../test/support/http';
import { freshMysqlDatabase } from '../test/support/backends';
import { dropRedisKeys, mysqlUrl, percentile, redisUrl } from './support';
import { dingtalkTarget } from './dingtalkTarget';

const MESSAGES = 2000;
const WARMUP = 200;
/** Sent one at a time once the replies of the load are out, each waited for: latency without a queue. */
const UNLOADED = 100;
const CONCURRENCY = 16;
const USERS = 100;
const HANDLING_TIMEOUT_MS = 120_000;


/** A messenger's webhook under test: its requests, prepared before timing, and its fake API. */
export interface Target<R> {
  label: string;
  column: 'wecom_user_id' | 'dingtalk_user_id';
  requests: R[];
  post(url: string, request: R): Promise<Response>;
  fake(): Promise<{ env: NodeJS.ProcessEnv; close(): Promise<void> }>;
}

interface Sample {
  /** Wall-clock ms, comparable with the inbox's handled_at. */
  sentAt: number;
  ackMs: number;
}

/** The same client loop for every server: CONCURRENCY workers, each sending one request at a time. */
async function drive<R>(url: string, requests: R[], post: (url: string, request: R) => Promise<Response>): Promise<{ samples: Sample[]; wallMs: number }> {
  const samples: Sample[] = new Array<Sample>(requests.length);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const sentAt = Date.now();
      const started = performance.now();
      const response = await post(url, requests[i]);
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`request ${i} answered ${response.status}`);
      samples[i] = { sentAt, ackMs: performance.now() - started };
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { samples, wallMs: performance.now() - started };
}


const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

function row(label: string, count: number, wallMs: number, latencies: number[]): string {
  const rate = ((count / wallMs) * 1000).toFixed(0).padStart(7);
  return `${label.padEnd(43)} ${rate} msg/s   p50 ${fmt(percentile(latencies, 0.5)).padStart(10)}   p99 ${fmt(percentile(latencies, 0.99)).padStart(10)}`;
}

async function freshDatabase(): Promise<{ env: NodeJS.ProcessEnv; drop(): Promise<void> }> {
  if (!mysqlUrl) {
    const path = join(tmpdir(), `dandang-bench-${randomBytes(4).toString('hex')}.sqlite`);
    return { env: { DATABASE_URL: `sqlite:${path}` }, drop: async () => ['', '-wal', '-shm'].forEach((s) => rmSync(path + s, { force: true })) };
  }
  const fresh = await freshMysqlDatabase(mysqlUrl, 'dandang_bench_');
  return { env: { DATABASE_URL: fresh.url }, drop: fresh.drop };
}


async function benchHello(requests: Sealed[]): Promise<string> {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = 'hello';
  });
  const server = await serve(app);
  try {
    await drive(server.url, requests.slice(0, WARMUP), postCallback);
    const { samples, wallMs } = await drive(server.url, requests.slice(WARMUP, WARMUP + MESSAGES), postCallback);
    return row('bare Koa "hello"', samples.length, wallMs, samples.map((s) => s.ackMs));
  } finally {
    await server.close();
  }
}

async function benchWebhook<R>(target: Target<R>, messageIds: string[]): Promise<string[]> {
  const { requests } = target;
  const database = await freshDatabase();
  const prefix = `dandang-bench:${randomBytes(4).toString('hex')}:`;
  const fake = await target.fake();
  const config = loadConfig({ NODE_ENV: 'production', LOG_LEVEL: 'silent', WORKER_INTERVAL_MS: '50', ...database.env, ...fake.env });
  // The default handler (the conversation engine) keeps each member's draft in this store.
  const bot = await createBot(config, { state: createStateStore(redisUrl ? { kind: 'url', url: redisUrl } : undefined, systemClock, prefix), logger: createLogger('silent') });
  const now = new Date().toISOString();
  await insert(bot.db, 'units', { code: 'B', name: '压测单位', kind: '机关部门', parent_id: null, created_at: now, updated_at: now });
  const [unit]: { id: number }[] = await bot.db.query(`SELECT id FROM units WHERE code = 'B'`);
  await insert(
    bot.db,
    'people',
    Array.from({ length: USERS }, (_, i) => ({
      code: `B${i}`, name: `压测${i}`, post: '科员', nature: '行政', unit_id: unit.id, city_managed: 0, wecom_user_id: null,
      dingtalk_user_id: null, [target.column]: `bench-${i}`, joined_on: null, left_on: null, created_at: now, updated_at: now,
    })),
  );
  bot.worker.start();
  const server = await serve(bot.app);

  /** handled_at of each message (set in the transaction that queues its reply), once all are handled. */
  const waitHandled = async (ids: string[], pollMs = 20): Promise<number[]> => {
    const deadline = performance.now() + HANDLING_TIMEOUT_MS;
    const keys = ids.map((id) => `msg:${id}`);
    for (;;) {
      const rows: { dedupe_key: string; handled_at: string }[] =
        keys.length === 1
          ? await bot.db.query(`SELECT dedupe_key, handled_at FROM inbox WHERE status = 'done' AND dedupe_key = ?`, keys)
          : await bot.db.query(`SELECT dedupe_key, handled_at FROM inbox WHERE status = 'done'`);
      const handled = new Map(rows.map((r) => [r.dedupe_key, Date.parse(r.handled_at)]));
      if (keys.every((key) => handled.has(key))) return keys.map((key) => handled.get(key)!);
      if (performance.now() > deadline) throw new Error('messages were not handled in time');
      await sleep(pollMs);
    }
  };

  const waitOutboxDrained = async () => {
    const deadline = performance.now() + HANDLING_TIMEOUT_MS;
    while (Number((await bot.db.query(`SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending')`))[0].n) > 0) {
      if (performance.now() > deadline) throw new Error('replies were not sent in time');
      await sleep(50);
    }
  };

  try {
    await drive(server.url, requests.slice(0, WARMUP), target.post);
    await waitHandled(messageIds.slice(0, WARMUP));
    const measuredIds = messageIds.slice(WARMUP, WARMUP + MESSAGES);
    const { samples, wallMs } = await drive(server.url, requests.slice(WARMUP, WARMUP + MESSAGES), target.post);
    const handledAt = await waitHandled(measuredIds);
    const full = handledAt.map((at, i) => at - samples[i].sentAt);
    const handlingWallMs = Math.max(...handledAt) - samples[0].sentAt;
    await waitOutboxDrained();
    const quietIds = messageIds.slice(WARMUP + MESSAGES);
    const quiet: number[] = [];
    const quietStarted = Date.now();
    for (const [i, id] of quietIds.entries()) {
      const { samples: [one] } = await drive(server.url, [requests[WARMUP + MESSAGES + i]], target.post);
      const [handled] = await waitHandled([id], 1);
      quiet.push(handled - one.sentAt);
    }
    const [{ n }]: { n: number }[] = await bot.db.query('SELECT COUNT(*) AS n FROM outbox');
    if (Number(n) < messageIds.length) throw new Error(`expected ${messageIds.length} queued replies, found ${n}`);
    return [
      row(`${target.label} webhook: acknowledged (200, empty)`, samples.length, wallMs, samples.map((s) => s.ackMs)),
      row(`${target.label} webhook: handled, reply queued`, measuredIds.length, handlingWallMs, full),
      row(`${target.label} webhook: handled, one at a time`, quiet.length, Date.now() - quietStarted, quiet),
    ];
  } finally {
    await server.close();
    await bot.close();
    await fake.close();
    await database.drop();
    await dropRedisKeys(prefix);
  }
}

async function main(): Promise<void> {
  const total = WARMUP + MESSAGES + UNLOADED;
  const base = BigInt(Date.now()) * 1_000_000n;
  const messageIds = Array.from({ length: total }, (_, i) => String(base + BigInt(i)));
  const createTime = Math.floor(Date.now() / 1000);
  // Sealed before timing starts: encrypting is WeCom's work, not the server's.
  const requests = messageIds.map((msgId, i) =>
    seal(textXml({ from: `bench-${i % USERS}`, text: '菜单', msgId, createTime }), { timestamp: createTime }),
  );
  const stack = `${mysqlUrl ? 'MariaDB' : 'SQLite'} + ${redisUrl ? 'Redis' : 'in-process state'}`;
  console.log(
    `\nWeCom and DingTalk webhook benchmark on ${stack}: ${MESSAGES} messages (+${WARMUP} warm-up) from ${CONCURRENCY} concurrent clients, then ${UNLOADED} one at a time; ${USERS} members; Node ${process.version}\n`,
  );
  console.log(await benchHello(requests));
  const wecom: Target<Sealed> = {
    label: 'WeCom',
    column: 'wecom_user_id',
    requests,
    post: postCallback,
    async fake() {
      const fake = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
      return { env: wecomEnv(fake), close: () => fake.close() };
    },
  };
  for (const line of await benchWebhook(wecom, messageIds)) console.log(line);
  for (const line of await benchWebhook(dingtalkTarget(messageIds, USERS), messageIds)) console.log(line);
  console.log('\nacknowledged: request sent → 200 received; handled: request sent → inbox row done and reply queued (handled_at, ms resolution).\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
