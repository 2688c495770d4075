/**
 * Handling throughput (issue 18, goal 2) and the server's memory (goal 4): 500 roster members each
 * in the middle of a 容错免责 application (the draft half filled beforehand, over the webhook: 申请容错,
 * 否, 其他, the matter, 否 to 是否涉及市管干部), then a 10 s burst from a separate load process in which every member keeps
 * answering the step they are at: the 申请事由, then 上一步 back to it, and so on, each answer a turn
 * that loads the draft, moves it and queues the reply in the outbox. Measured: the events handled
 * per second during the burst, the backlog at its end and how long it takes to drain, the server's
 * CPU per handled event, and its RSS (this process alone, from /proc) before, during and after;
 * beside co-wechat's acknowledged req/s on the same callbacks in the same run. (Two messages of one
 * member posted on different connections can overtake each other; the dialogue then steps back one
 * further and answers its way forward again: every turn is still a step answered and a reply queued.)
 *
 * The built server (NODE_ENV=production) as its own process, on MariaDB + Redis when
 * TEST_DATABASE_URL/TEST_REDIS_URL (or DATABASE_URL/REDIS_URL) are set, else SQLite.
 *   npm run bench:handling            BENCH_SCALE=tiny for a run that only shows it works;
 *   BENCH_CPU_PROF=true               the server writes a V8 CPU profile (BENCH_CPU_PROF_DIR).
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { postText, writeCallbacks, type Said } from './harness/callbacks';
import { benchMembers, cpuProfile, profileDir, serverNodeOptions, stack, startDandang, type Dandang, type Member } from './harness/dandang';
import { loadGeneratorName, runLoad, type LoadResult } from './harness/loadGenerator';
import { PEER_SUFFIX, startPeer } from './harness/peers';
import { cpuMicros, loadNote, memory, monotonicMicros, pinningNote, sampleRss } from './harness/processes';
import { mb, ms, n, runServerBench } from './harness/report';
import { tiny } from './support';

const SCALE = tiny
  ? { members: 20, answersEach: 40, seconds: 1, idleSeconds: 1, drainTimeoutMs: 60_000 }
  : // Enough answers that the burst does not run out of new ones at several times today's rate.
    { members: 500, answersEach: 200, seconds: 10, idleSeconds: 10, drainTimeoutMs: 300_000 };
const CONNECTIONS = 32;
const PREPARATION_CONCURRENCY = 16;

/** Up to the step the burst answers: 申请事由 (容错细则 附件1). */
const PREPARATION = ['申请容错', '否', '1', '滨江项目征地补偿问题被纪工委启动问责', '否'];
const REASON = '2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。';
const ASKS_REASON = '请说明申请事由';

/** Member by member in order: the answer to the step, then 上一步 back to it, and again. */
function burst(members: Member[]): Said[] {
  return Array.from({ length: members.length * SCALE.answersEach }, (_, i) => ({
    from: members[i % members.length].wecomId,
    text: Math.floor(i / members.length) % 2 === 0 ? REASON : '上一步',
  }));
}

/** Each member's draft filled up to the 申请事由, and the question asked: checked at the fake WeCom. */
async function prepareDrafts(dandang: Dandang, members: Member[]): Promise<void> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < members.length; i = next++) {
      for (const text of PREPARATION) {
        const status = await postText(dandang.server.url, { from: members[i].wecomId, text });
        if (status !== 200) throw new Error(`preparing ${members[i].wecomId}: the callback answered ${status}`);
      }
    }
  };
  await Promise.all(Array.from({ length: PREPARATION_CONCURRENCY }, lane));
  await dandang.drained(SCALE.drainTimeoutMs);
  if ((await dandang.outboxEmptied(SCALE.drainTimeoutMs)) === undefined) throw new Error('the preparation replies were not all sent');
  const last = new Map<unknown, string>();
  for (const body of dandang.fake.delivered()) last.set(body.touser, JSON.stringify(body));
  const unprepared = members.filter((m) => !last.get(m.wecomId)?.includes(ASKS_REASON));
  if (unprepared.length > 0) throw new Error(`${unprepared.length} members were not asked the 申请事由 after the preparation, e.g. ${unprepared[0].wecomId}: ${last.get(unprepared[0].wecomId)}`);
}

async function coWechatRate(dir: string, file: string): Promise<LoadResult> {
  const server = await startPeer('co-wechat', dir);
  try {
    await runLoad({ url: server.url, file, suffix: PEER_SUFFIX['co-wechat'], connections: CONNECTIONS, seconds: tiny ? 1 : 3 });
    return await runLoad({ url: server.url, file, suffix: PEER_SUFFIX['co-wechat'], connections: CONNECTIONS, seconds: SCALE.seconds });
  } finally {
    await server.stop();
  }
}


async function measureDandang(dir: string, members: Member[], peer: LoadResult): Promise<void> {
  const dandang = await startDandang({ members, cpuProfile });
  try {
    const atStart = memory(dandang.server.pid);
    const prepared = performance.now();
    await prepareDrafts(dandang, members);
    console.log(`dandang: ${n(members.length)} drafts filled up to the 申请事由 over the webhook (${n(members.length * PREPARATION.length)} callbacks, ${n((performance.now() - prepared) / 1000, 1)} s; also the warm-up)`);
    const file = join(dir, 'dandang.txt');
    writeCallbacks(file, burst(members));
    const idle = memory(dandang.server.pid);
    const before = await dandang.counters();
    const cpuBefore = cpuMicros(dandang.server.pid);
    const started = monotonicMicros();
    const { result, maxRssMb } = await sampleRss(dandang.server.pid, async () => {
      const load = await runLoad({ url: dandang.server.url, file, connections: CONNECTIONS, seconds: SCALE.seconds });
      const burstEnded = monotonicMicros();
      const atEnd = await dandang.counters();
      const drainSeconds = await dandang.drained(SCALE.drainTimeoutMs);
      return { load, atEnd, drainSeconds, burstEnded };
    });
    const { load, atEnd, drainSeconds, burstEnded } = result;
    const drainEnded = monotonicMicros();
    const drained = await dandang.counters();
    const cpu = cpuMicros(dandang.server.pid) - cpuBefore;
    const afterDrain = memory(dandang.server.pid);
    await sleep(SCALE.idleSeconds * 1000);
    const afterIdle = memory(dandang.server.pid);

    const handledInBurst = atEnd.handled - before.handled;
    const handled = drained.handled - before.handled;
    const sustained = handledInBurst / load.seconds;
    console.log(
      `  acknowledged: ${n(load.reqPerS)} req/s (p50 ${ms(load.p50Ms)}, p99 ${ms(load.p99Ms)}, errors ${n(load.errors)}, non-2xx ${n(load.non2xx)}); ` +
        `${n(atEnd.accepted - before.accepted)} events accepted, ${n(atEnd.duplicates - before.duplicates)} redeliveries`,
    );
    console.log(`  handled during the burst: ${n(handledInBurst)} events in ${n(load.seconds, 1)} s = ${n(sustained)} events/s (×${n(sustained / peer.reqPerS, 2)} co-wechat's acknowledged req/s)`);
    console.log(`  backlog at the end of the burst: ${n(atEnd.accepted - atEnd.handled)} events; drained ${n(drainSeconds, 1)} s after the burst ended`);
    console.log(`  over burst and drain: ${n(handled)} events in ${n(load.seconds + drainSeconds, 1)} s = ${n(handled / (load.seconds + drainSeconds))} events/s; server CPU per handled event ${n(cpu / Math.max(1, handled))} µs`);
    console.log(
      `  turns failed: ${n(drained.retried - before.retried)} retried, ${n(drained.gaveUp - before.gaveUp)} given up; ${n(drained.outboxDepth)} replies in the outbox once drained ` +
        `(WeCom takes at most 30 messages a minute per member: the sender holds the rest back)`,
    );
    console.log(
      `\nmemory of the server process alone (goal 4): ${mb(atStart.rssMb)} at start; ${mb(idle.rssMb)} with the ${n(members.length)} drafts waiting; during the burst up to ${mb(maxRssMb)} ` +
        `(sampled every 100 ms; peak since start ${mb(afterDrain.peakMb)}); ${mb(afterDrain.rssMb)} once drained; ${mb(afterIdle.rssMb)} ${SCALE.idleSeconds} s later`,
    );
    if (cpuProfile) {
      console.log(`dandang's CPU profile: ${profileDir}; cut to the burst: npx tsx bench/profile.ts ${profileDir}/<file> 30 ${started} ${burstEnded}; to the drain: … ${burstEnded} ${drainEnded}`);
    }
  } finally {
    await dandang.close();
  }
}

runServerBench('handling', async (dir) => {
  const members = benchMembers(SCALE.members);
  console.log(`\nHandling: ${n(SCALE.members)} members each answering a dialogue step, replies queued in the outbox${tiny ? ' (BENCH_SCALE=tiny: figures mean nothing)' : ''}`);
  console.log(`  a ${SCALE.seconds} s burst from ${loadGeneratorName}, ${CONNECTIONS} connections; dandang built, NODE_ENV=production, node options "${serverNodeOptions}", on ${stack}; Node ${process.version}`);
  console.log(`  ${pinningNote()}`);
  console.log(`  at start: ${loadNote()}\n`);
  const coWechatFile = join(dir, 'co-wechat.txt');
  writeCallbacks(coWechatFile, burst(members));
  const peer = await coWechatRate(dir, coWechatFile);
  console.log(`co-wechat 2.4, the same callbacks, acknowledged: ${n(peer.reqPerS)} req/s (p50 ${ms(peer.p50Ms)}, p99 ${ms(peer.p99Ms)}, errors ${n(peer.errors)})\n`);
  await measureDandang(dir, members, peer);
});
