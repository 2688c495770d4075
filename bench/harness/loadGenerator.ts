import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LOAD_CORE, onCore } from './processes';

/**
 * The load: a process of its own on the load core, posting callbacks from a file over a fixed
 * number of connections for a fixed time, as fast as the server answers: wrk (one thread) when
 * installed, else autocannon (BENCH_LOAD=autocannon picks it even where wrk is installed). At a
 * steady rate (`rate`), always autocannon: wrk has no way to hold one.
 */

const WRK = process.env.BENCH_LOAD === 'autocannon' ? undefined : ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((path) => existsSync(path));
export const loadGeneratorName = WRK ? 'wrk (1 thread)' : 'autocannon';

export interface LoadResult {
  requests: number;
  seconds: number;
  reqPerS: number;
  p50Ms: number;
  p99Ms: number;
  /** Connection errors, timeouts and answers other than 2xx/3xx. */
  errors: number;
  non2xx: number;
}

interface Figures {
  requests: number;
  durationUs: number;
  connectErrors: number;
  readErrors: number;
  writeErrors: number;
  timeouts: number;
  non2xx: number;
  p50Us: number;
  p99Us: number;
}

/** `suffix` is appended to every request's path (co-wechat's `&encrypt_type=aes`). */
export async function runLoad(p: { url: string; file: string; suffix?: string; connections: number; seconds: number; rate?: number }): Promise<LoadResult> {
  const suffix = p.suffix ?? '';
  const [command, args] =
    WRK && p.rate === undefined
      ? onCore(LOAD_CORE, WRK, ['-t1', `-c${p.connections}`, `-d${p.seconds}s`, '--timeout', '30s', '-s', join(__dirname, 'callbacks.lua'), p.url, '--', p.file, suffix])
      : onCore(LOAD_CORE, process.execPath, [
          join(__dirname, 'autocannonLoad.mjs'), p.url, p.file, suffix, String(p.connections), String(p.seconds), ...(p.rate === undefined ? [] : [String(Math.round(p.rate))]),
        ]);
  const { stdout } = await promisify(execFile)(command, args, { maxBuffer: 1 << 20, timeout: (p.seconds + 120) * 1000 });
  const line = stdout.trim().split('\n').pop() ?? '';
  let figures: Figures;
  try {
    figures = JSON.parse(line) as Figures;
  } catch {
    throw new Error(`the load generator printed no figures:\n${stdout}`);
  }
  const seconds = figures.durationUs / 1e6;
  return {
    requests: figures.requests,
    seconds,
    reqPerS: figures.requests / seconds,
    p50Ms: figures.p50Us / 1000,
    p99Ms: figures.p99Us / 1000,
    errors: figures.connectErrors + figures.readErrors + figures.writeErrors + figures.timeouts + figures.non2xx,
    non2xx: figures.non2xx,
  };
}
