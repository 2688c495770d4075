import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The processes of a benchmark: each server in a process of its own, pinned to one core while the
 * load generator (and this process, with the fake APIs) keeps to the other, so neither steals the
 * other's CPU; and what /proc says about a process: its CPU time and its memory.
 */

const hasTaskset = existsSync('/usr/bin/taskset') || existsSync('/bin/taskset');
/** Pinning needs two cores and taskset; without them every process shares what there is. */
export const pinning = hasTaskset && cpus().length >= 2;
export const SERVER_CORE = 1;
export const LOAD_CORE = 0;

/** Keeps this process (the orchestrator and the fake APIs it serves) on the load generator's core. */
export function pinSelf(): void {
  if (pinning) execFileSync('taskset', ['-pc', String(LOAD_CORE), String(process.pid)], { stdio: 'ignore' });
}

export function pinningNote(): string {
  return pinning
    ? `pinned with taskset: each server on core ${SERVER_CORE}; the load generator, this orchestrator and the fake WeCom on core ${LOAD_CORE}; MariaDB and Redis unpinned`
    : `NOT pinned (${hasTaskset ? `only ${cpus().length} core` : 'taskset not found'}): servers, load generator and fakes share the CPU`;
}

export function loadNote(): string {
  return `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min) on ${cpus().length} cores`;
}

/** A command run on the given core when pinning is possible. */
export function onCore(core: number, command: string, args: string[]): [string, string[]] {
  return pinning ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

/** Now on the monotonic clock in µs: what the timestamps of a V8 CPU profile count on Linux. */
export const monotonicMicros = (): number => Number(process.hrtime.bigint() / 1000n);

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User + system CPU time the process has used, in µs (the kernel counts in clock ticks). */
export function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may hold spaces: fields are counted after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}

/**
 * CPU time MariaDB and Redis have used so far, in µs (0 for one that is not running here): they are
 * not pinned and do their share of each callback on the same two cores, so the benches report it.
 */
export function servicesCpuMicros(): { mariadb: number; redis: number } {
  const total = { mariadb: 0, redis: 0 };
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      const service = name === 'mariadbd' || name === 'mysqld' ? 'mariadb' : name === 'redis-server' ? 'redis' : undefined;
      if (service) total[service] += cpuMicros(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return total;
}

/** Resident memory now and at its peak so far, in MB, of this process alone. */
export function memory(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** The highest resident memory seen while `work` runs, sampled every 100 ms. */
export async function sampleRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; maxRssMb: number }> {
  let maxRssMb = memory(pid).rssMb;
  const timer = setInterval(() => (maxRssMb = Math.max(maxRssMb, memory(pid).rssMb)), 100);
  try {
    return { result: await work(), maxRssMb };
  } finally {
    clearInterval(timer);
  }
}

export interface Server {
  label: string;
  url: string;
  pid: number;
  logPath: string;
  stop(): Promise<void>;
}

/**
 * Starts a server on the server core with its output in a file (a pipe to this process would
 * cost this core CPU and could hold the server up), and waits for the line that names its URL.
 */
export async function startServer(p: {
  label: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logPath: string;
  /** What in the output says the server listens, with its URL as the first group. */
  ready: RegExp;
  timeoutMs?: number;
}): Promise<Server> {
  const out = openSync(p.logPath, 'w');
  const [command, args] = onCore(SERVER_CORE, p.command, p.args);
  const child = spawn(command, args, { env: p.env, stdio: ['ignore', out, out] });
  closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (p.timeoutMs ?? 60_000);
  let url: string | undefined;
  while (!url) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${p.label} exited before listening:\n${tail(p.logPath)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${p.label} did not listen in time:\n${tail(p.logPath)}`);
    }
    url = p.ready.exec(readFileSync(p.logPath, 'utf8'))?.[1];
    if (!url) await sleep(50);
  }
  return { label: p.label, url, pid: child.pid!, logPath: p.logPath, stop: () => stop(child, exited, p.label) };
}

async function stop(child: ChildProcess, exited: Promise<number | null>, label: string): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  if (code !== 0 && code !== null) console.error(`(${label} exited with code ${code})`);
}

export function tail(path: string, lines = 20): string {
  return readFileSync(path, 'utf8').trim().split('\n').slice(-lines).join('\n');
}
