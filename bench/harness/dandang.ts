import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse, stringify } from 'yaml';
import { AGENT_ID, SAMPLE, SECRET, wecomEnv } from '../../test/channels/wecom/callbacks';
import { freshMysqlDatabase } from '../../test/support/backends';
import { freePort } from '../../test/support/http';
import { FakeWecom } from '../../test/support/fakeWecom';
import { BENCH_DATA_KEYS, claimRedisDatabase, mysqlUrl, redisUrl } from '../support';
import { startServer, type Server } from './processes';

/**
 * dandang as it is deployed: built (`npm run build`), started as `npm run start:prod` starts it
 * (node with that script's options, or BENCH_SERVER_NODE_OPTIONS in their place; dist/src/main.js)
 * with NODE_ENV=production and otherwise default settings, on MariaDB + Redis when the benchmark has
 * them (a fresh database, a Redis logical database of its own), else on an SQLite file and the
 * in-process store; its roster imported with `org:import`; WeCom's API faked on loopback in this
 * process, answering gettoken and message/send so that replies flow.
 */

const ROOT = resolve(__dirname, '../..');
/** Where BENCH_CPU_PROF=true has the server write its V8 CPU profile (at its exit). */
export const profileDir = process.env.BENCH_CPU_PROF_DIR ?? join(tmpdir(), 'dandang-bench-profiles');
export const cpuProfile = process.env.BENCH_CPU_PROF === 'true';

export const stack = `${mysqlUrl ? 'MariaDB' : 'SQLite'} + ${redisUrl ? 'Redis' : 'in-process state'}`;

/** The node options of `npm run start:prod` (`node [options] dist/src/main.js`), which carry its heap settings. */
function productionNodeOptions(): string[] {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [node, ...rest] = scripts['start:prod'].trim().split(/\s+/);
  const main = rest.pop();
  if (node !== 'node' || main !== 'dist/src/main.js' || rest.some((option) => !option.startsWith('--'))) {
    throw new Error(`start:prod is not "node [--options] dist/src/main.js": ${scripts['start:prod']}`);
  }
  return rest;
}

/** What the server runs with: start:prod's options, or the bench's own when BENCH_SERVER_NODE_OPTIONS is set (even empty). */
export const serverNodeOptions = process.env.BENCH_SERVER_NODE_OPTIONS ?? productionNodeOptions().join(' ');

/** `npm run build`, unless BENCH_BUILD=false says dist/ is already built from this tree. */
export function build(): void {
  if (process.env.BENCH_BUILD === 'false') return;
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
}

/** A member of the roster the bench adds to the sample one, in 综合科 of 经济发展局. */
export interface Member {
  wecomId: string;
  name: string;
}

export const benchMembers = (count: number): Member[] =>
  Array.from({ length: count }, (_, i) => ({ wecomId: `bench-${i}`, name: `压测干部${i}` }));

export interface Counters {
  /** Callbacks stored in the inbox (not duplicates). */
  accepted: number;
  duplicates: number;
  /** Events whose turn is done and replies queued. */
  handled: number;
  /** Events given up on after their last attempt, and failed attempts to be retried: both must stay 0. */
  gaveUp: number;
  retried: number;
  outboxDepth: number;
}

export interface Dandang {
  server: Server;
  fake: FakeWecom;
  workDir: string;
  counters(): Promise<Counters>;
  /** Waits until every accepted event is handled; the time it took, in seconds. */
  drained(timeoutMs: number): Promise<number>;
  /** Waits until the outbox has sent everything; the time it took in seconds, or undefined when it had not by the timeout. */
  outboxEmptied(timeoutMs: number): Promise<number | undefined>;
  close(): Promise<void>;
}

export async function startDandang(p: { members: Member[]; cpuProfile?: boolean }): Promise<Dandang> {
  const workDir = mkdtempSync(join(tmpdir(), 'dandang-bench-'));
  const cleanup: (() => Promise<void>)[] = [async () => rmSync(workDir, { recursive: true, force: true })];
  try {
    const database = mysqlUrl ? await freshMysqlDatabase(mysqlUrl, 'dandang_bench_') : undefined;
    if (database) cleanup.push(() => database.drop());
    const redis = redisUrl ? await claimRedisDatabase(redisUrl) : undefined;
    if (redis) cleanup.push(() => redis.release());
    const fake = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
    cleanup.push(() => fake.close());
    // /metrics is on the admin listener, on a port of its own.
    const adminPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATA_ENCRYPTION_KEYS: BENCH_DATA_KEYS,
      HOST: '127.0.0.1',
      PORT: '0',
      ADMIN_PORT: String(adminPort),
      DATABASE_URL: database?.url ?? `sqlite:${join(workDir, 'dandang.sqlite')}`,
      ...(redis ? { REDIS_URL: redis.url } : {}),
      ...wecomEnv(fake, { WECOM_API_TIMEOUT_MS: '10000' }),
      // The server's V8 settings alone (its heap's), without the bench's own process taking them.
      ...(serverNodeOptions ? { NODE_OPTIONS: serverNodeOptions } : {}),
    };
    importRoster(workDir, p.members, env);
    const profile = p.cpuProfile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const server = await startServer({
      label: 'dandang',
      command: process.execPath,
      args: [...profile, join(ROOT, 'dist/src/main.js')],
      env,
      logPath: join(workDir, 'server.log'),
      ready: /running at (http:\/\/\S+)/,
    });
    cleanup.push(() => server.stop());
    const counters = () => readCounters(`http://127.0.0.1:${adminPort}`);
    return {
      server,
      fake,
      workDir,
      counters,
      async drained(timeoutMs) {
        const started = performance.now();
        for (;;) {
          const c = await counters();
          if (c.handled + c.gaveUp >= c.accepted) return (performance.now() - started) / 1000;
          if (performance.now() - started > timeoutMs) throw new Error(`the inbox did not drain in ${timeoutMs / 1000} s: ${JSON.stringify(c)}`);
          // Each scrape costs the server a little (its default metrics, two counts): 5 a second.
          await sleep(200);
        }
      },
      async outboxEmptied(timeoutMs) {
        const started = performance.now();
        while ((await counters()).outboxDepth > 0) {
          if (performance.now() - started > timeoutMs) return undefined;
          await sleep(250);
        }
        return (performance.now() - started) / 1000;
      },
      close: () => closeAll(cleanup),
    };
  } catch (error) {
    await closeAll(cleanup);
    throw error;
  }
}

async function closeAll(cleanup: (() => Promise<void>)[]): Promise<void> {
  for (const step of cleanup.reverse()) await step();
}

/** The sample roster and the bench's members, imported with the built `org:import` (which also migrates). */
function importRoster(workDir: string, members: Member[], env: NodeJS.ProcessEnv): void {
  const roster = parse(readFileSync(join(ROOT, 'src/roster/sampleRoster.yaml'), 'utf8')) as { units: unknown[]; people: Record<string, unknown>[] };
  roster.people.push(
    ...members.map((m, i) => ({
      人员编号: `B${String(i).padStart(5, '0')}`, 姓名: m.name, 单位编码: 'JG03-01', 职务: '科员', 性质: '行政', 市管干部: '否', 企业微信ID: m.wecomId, 入职日期: '2020-01-01',
    })),
  );
  const path = join(workDir, 'roster.yaml');
  writeFileSync(path, stringify(roster));
  execFileSync(process.execPath, [join(ROOT, 'dist/src/roster/importCli.js'), path], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The server's own Prometheus counters (GET /metrics on the admin listener). */
async function readCounters(url: string): Promise<Counters> {
  const response = await fetch(`${url}/metrics`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  const sum = (name: string, label: RegExp) =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && label.test(line))
      .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return {
    accepted: sum('dandang_callbacks_total', /result="accepted"/),
    duplicates: sum('dandang_callbacks_total', /result="duplicate"/),
    handled: sum('dandang_turns_total', /outcome="done"/),
    gaveUp: sum('dandang_turns_total', /outcome="gave-up"/),
    retried: sum('dandang_turns_total', /outcome="retry"/),
    outboxDepth: Number(/^dandang_outbox_depth (\S+)$/m.exec(text)?.[1] ?? NaN),
  };
}
