/**
 * The WeCom callback webhook measured from outside: each server a process of its own on one core,
 * the load (wrk, one thread, or autocannon when wrk is absent) a process of its own on the other,
 * posting the same distinct encrypted WeCom texts to, in one run:
 *   - a bare Koa 3 server answering "ok" (the floor),
 *   - node-webot/co-wechat 2.4 (signature, decrypt, parse, an encrypted reply; keeps nothing),
 *   - dandang built and started as deployed (NODE_ENV=production, start:prod's node options), on MariaDB +
 *     Redis when TEST_DATABASE_URL/TEST_REDIS_URL (or DATABASE_URL/REDIS_URL) are set, else SQLite;
 *     each callback is stored in the inbox before it is acknowledged, and answered by the worker
 *     (the menu card, sent to a fake WeCom API in this process).
 * Per server: req/s, p50/p99, errors, the server's CPU per request (/proc/<pid>/stat) and its RSS;
 * then the ratios against co-wechat; for dandang, the inbox backlog the load left and its drain,
 * and MariaDB's and Redis's CPU per request. Then co-wechat and dandang at a steady rate below
 * what each answers flat out (see steadyRun): their latency when callbacks do not queue.
 *
 *   npm run bench:webhook             BENCH_SCALE=tiny for a run that only shows it works;
 *   BENCH_RATE=<req/s>                the steady run's rate (default: half co-wechat's flat-out rate);
 *   BENCH_CPU_PROF=true               the server writes a V8 CPU profile (BENCH_CPU_PROF_DIR).
 */
import { join } from 'node:path';
import { writeCallbacks, type Said } from './harness/callbacks';
import { benchMembers, cpuProfile, profileDir, serverNodeOptions, stack, startDandang, type Counters } from './harness/dandang';
import { loadGeneratorName, runLoad, type LoadResult } from './harness/loadGenerator';
import { PEER_LABELS, PEER_SUFFIX, startPeer, type Peer } from './harness/peers';
import { cpuMicros, loadNote, memory, monotonicMicros, pinningNote, servicesCpuMicros, type Server } from './harness/processes';
import { ms, n, runServerBench } from './harness/report';
import { tiny } from './support';

const SCALE = tiny
  ? { messages: 300, warmup: 100, members: 50, seconds: 1, warmupSeconds: 1, drainTimeoutMs: 60_000 }
  : // Enough distinct texts that a 10 s run at several thousand req/s does not wrap round to
    // redeliveries, which cost the bot far less than new events and would flatter its figures.
    { messages: 80_000, warmup: 2_000, members: 2_000, seconds: 10, warmupSeconds: 3, drainTimeoutMs: 300_000 };
const CONNECTIONS = 32;
const TEXT = '菜单';

interface Row {
  label: string;
  load: LoadResult;
  cpuPerRequestUs: number;
  rssMb: number;
  peakMb: number;
  /** MariaDB's and Redis's CPU over the measured run, per request: their share of the work, on the same cores. */
  servicesPerRequestUs: { mariadb: number; redis: number };
  /** When the measured run began and ended, to cut a CPU profile to it (bench/profile.ts). */
  windowUs: [number, number];
  /** The same server afterwards at a steady rate below its capacity. */
  steady?: LoadResult;
}

/** Warm-up (its own callbacks), then the measured run, with the server's CPU and memory around it. */
async function measure(label: string, server: Server, files: { warmup: string; measured: string }, suffix: string, settle?: () => Promise<unknown>): Promise<Row> {
  await runLoad({ url: server.url, file: files.warmup, suffix, connections: CONNECTIONS, seconds: SCALE.warmupSeconds });
  await settle?.();
  const cpuBefore = cpuMicros(server.pid);
  const servicesBefore = servicesCpuMicros();
  const started = monotonicMicros();
  const load = await runLoad({ url: server.url, file: files.measured, suffix, connections: CONNECTIONS, seconds: SCALE.seconds });
  const windowUs: [number, number] = [started, monotonicMicros()];
  const cpu = cpuMicros(server.pid) - cpuBefore;
  const services = servicesCpuMicros();
  const requests = Math.max(1, load.requests);
  const servicesPerRequestUs = { mariadb: (services.mariadb - servicesBefore.mariadb) / requests, redis: (services.redis - servicesBefore.redis) / requests };
  return { label, load, cpuPerRequestUs: cpu / requests, ...memory(server.pid), servicesPerRequestUs, windowUs };
}

const members = benchMembers(SCALE.members);
const said = (count: number): Said[] => Array.from({ length: count }, (_, i) => ({ from: members[i % members.length].wecomId, text: TEXT }));

function callbackFiles(dir: string, tag: string): { warmup: string; measured: string } {
  const files = { warmup: join(dir, `${tag}-warmup.txt`), measured: join(dir, `${tag}-measured.txt`) };
  writeCallbacks(files.warmup, said(SCALE.warmup));
  writeCallbacks(files.measured, said(SCALE.messages));
  return files;
}

/**
 * Flat out, 32 connections keep every server saturated, and a callback's latency is mostly its wait
 * in the queue (32 ÷ req/s on average). At a steady rate below what each server answers flat out the
 * queue is short, and the latency is the callback's own (for dandang, beside the handling of the
 * earlier ones): half co-wechat's flat-out rate (BENCH_RATE to choose), the same for both, on fresh callbacks.
 */
async function steadyRun(server: Server, dir: string, tag: string, suffix: string, rate: number): Promise<LoadResult> {
  const file = join(dir, `${tag}-steady.txt`);
  writeCallbacks(file, said(Math.ceil(rate * SCALE.seconds * 1.2)));
  return runLoad({ url: server.url, file, suffix, connections: CONNECTIONS, seconds: SCALE.seconds, rate });
}

async function measurePeer(peer: Peer, dir: string, steadyRate?: (flatOut: LoadResult) => number): Promise<Row> {
  const server = await startPeer(peer, dir);
  try {
    const row = await measure(PEER_LABELS[peer], server, callbackFiles(dir, peer), PEER_SUFFIX[peer]);
    if (steadyRate) row.steady = await steadyRun(server, dir, peer, PEER_SUFFIX[peer], steadyRate(row.load));
    return row;
  } finally {
    await server.stop();
  }
}

interface Backlog {
  atStart: Counters;
  atEnd: Counters;
  drained: Counters;
  drainSeconds: number;
  cpuPerEventUs: number;
  outboxSeconds?: number;
  delivered: number;
  /** Events not handled yet when the steady run ended. */
  steadyBacklog: number;
}

async function measureDandang(dir: string, steadyRate: number): Promise<{ row: Row; backlog: Backlog }> {
  const dandang = await startDandang({ members: benchMembers(SCALE.members), cpuProfile });
  try {
    // Sealed just before: the callbacks carry the time they were made, checked against a replay window.
    const files = callbackFiles(dir, 'dandang');
    let atStart: Counters | undefined;
    let cpuAtStart = 0;
    const settle = async () => {
      await dandang.drained(SCALE.drainTimeoutMs);
      atStart = await dandang.counters();
      cpuAtStart = cpuMicros(dandang.server.pid);
    };
    const row = await measure(`dandang, ${stack} (built)`, dandang.server, files, '', settle);
    const atEnd = await dandang.counters();
    const drainSeconds = await dandang.drained(SCALE.drainTimeoutMs);
    const drained = await dandang.counters();
    const cpuPerEventUs = (cpuMicros(dandang.server.pid) - cpuAtStart) / Math.max(1, drained.accepted - atStart!.accepted);
    const outboxSeconds = await dandang.outboxEmptied(SCALE.drainTimeoutMs);
    const delivered = dandang.fake.delivered().length;
    // Handled as they come, this time: the worker keeps up below capacity.
    row.steady = await steadyRun(dandang.server, dir, 'dandang', '', steadyRate);
    const afterSteady = await dandang.counters();
    const steadyBacklog = afterSteady.accepted - afterSteady.handled;
    return { row, backlog: { atStart: atStart!, atEnd, drained, drainSeconds, cpuPerEventUs, outboxSeconds, delivered, steadyBacklog } };
  } finally {
    await dandang.close();
  }
}


function table(rows: Row[]): string[] {
  const header = `${'server'.padEnd(56)}${'req/s'.padStart(9)}${'p50'.padStart(11)}${'p99'.padStart(11)}${'errors'.padStart(8)}${'non-2xx'.padStart(9)}${'CPU/req'.padStart(10)}   RSS at end (peak)`;
  return [
    header,
    ...rows.map(
      (r) =>
        `${r.label.padEnd(56)}${n(r.load.reqPerS).padStart(9)}${ms(r.load.p50Ms).padStart(11)}${ms(r.load.p99Ms).padStart(11)}` +
        `${n(r.load.errors).padStart(8)}${n(r.load.non2xx).padStart(9)}${`${n(r.cpuPerRequestUs)} µs`.padStart(10)}   ${n(r.rssMb)} MB (${n(r.peakMb)} MB)`,
    ),
  ];
}

function ratios(rows: Row[], peer: Row): string[] {
  return rows
    .filter((r) => r !== peer)
    .map(
      (r) =>
        `  ${r.label.padEnd(54)} req/s ×${n(r.load.reqPerS / peer.load.reqPerS, 2)}   p99 ×${n(r.load.p99Ms / peer.load.p99Ms, 2)}   CPU per request ×${n(r.cpuPerRequestUs / peer.cpuPerRequestUs, 2)}`,
    );
}

function backlogLines(b: Backlog, load: LoadResult): string[] {
  const accepted = b.atEnd.accepted - b.atStart.accepted;
  const handled = b.atEnd.handled - b.atStart.handled;
  const duplicates = b.atEnd.duplicates - b.atStart.duplicates;
  const drainHandled = b.drained.handled - b.atEnd.handled;
  return [
    `dandang's inbox (${stack}):`,
    `  during the ${n(load.seconds, 1)} s: ${n(load.requests)} callbacks answered; ${n(accepted)} events accepted, ${n(duplicates)} redeliveries` +
      `${duplicates > 0 ? ` (the list of ${n(SCALE.messages)} wrapped)` : ''}; ${n(handled)} handled (replies queued) by the end of the load: backlog ${n(accepted - handled)}`,
    `  the backlog drained ${n(b.drainSeconds, 1)} s after the load ended (${n(drainHandled / Math.max(b.drainSeconds, 0.001))} events/s); ` +
      `CPU per event, acknowledged and handled: ${n(b.cpuPerEventUs)} µs`,
    `  turns failed: ${n(b.drained.retried - b.atStart.retried)} retried, ${n(b.drained.gaveUp - b.atStart.gaveUp)} given up; ` +
      `replies in the outbox once drained: ${n(b.drained.outboxDepth)}, ` +
      (b.outboxSeconds === undefined ? `not all sent ${n(SCALE.drainTimeoutMs / 1000)} s later` : `all sent ${n(b.outboxSeconds, 1)} s later`) +
      ` (${n(b.delivered)} accepted by the fake WeCom in the whole run)`,
  ];
}

runServerBench('webhook', async (dir) => {
  console.log(`\nWeCom callback webhook, load from a separate process${tiny ? ' (BENCH_SCALE=tiny: figures mean nothing)' : ''}`);
  console.log(`  ${loadGeneratorName}, ${CONNECTIONS} connections, ${SCALE.seconds} s per server after a ${SCALE.warmupSeconds} s warm-up on other callbacks; Node ${process.version}`);
  console.log(`  ${n(SCALE.messages)} distinct encrypted WeCom texts ("${TEXT}") from ${n(SCALE.members)} roster members, cycled; dandang on ${stack}, node options "${serverNodeOptions}", LOG_LEVEL at its default`);
  console.log(`  ${pinningNote()}`);
  console.log(`  at start: ${loadNote()}\n`);
  const koa = await measurePeer('koa', dir);
  let steadyRate = Number(process.env.BENCH_RATE);
  const coWechat = await measurePeer('co-wechat', dir, (flatOut) => (steadyRate ||= Math.max(10, Math.round(flatOut.reqPerS / 2))));
  const { row, backlog } = await measureDandang(dir, steadyRate);
  const rows = [koa, coWechat, row];
  for (const line of table(rows)) console.log(line);
  console.log('\nagainst co-wechat, same run:');
  for (const line of ratios(rows, coWechat)) console.log(line);
  console.log(`\nat a steady ${n(steadyRate)} req/s (autocannon, ${CONNECTIONS} connections${process.env.BENCH_RATE ? '' : ": half co-wechat's flat-out rate"}), below what each answers flat out:`);
  for (const r of [coWechat, row]) {
    const steady = r.steady!;
    console.log(`  ${r.label.padEnd(54)} ${n(steady.reqPerS)} req/s   p50 ${ms(steady.p50Ms)}   p99 ${ms(steady.p99Ms)}   errors ${n(steady.errors)}`);
  }
  console.log(`  dandang's inbox when it ended: ${n(backlog.steadyBacklog)} events not handled yet`);
  console.log('');
  for (const line of backlogLines(backlog, row.load)) console.log(line);
  console.log(`\nCPU/req: the server process's user+system time over the measured run ÷ requests answered; RSS from /proc/<pid>/status.`);
  const services = row.servicesPerRequestUs;
  console.log(`besides dandang's own CPU, per request over its measured run: MariaDB ${n(services.mariadb)} µs, Redis ${n(services.redis)} µs (unpinned, on the same two cores; anything else using them counts too)`);
  if (cpuProfile) console.log(`dandang's CPU profile: ${profileDir}; the measured run alone: npx tsx bench/profile.ts ${profileDir}/<file> 30 ${row.windowUs.join(' ')}`);
});
