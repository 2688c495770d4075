import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The benchmarks keep working: each runs end to end at its tiny size (BENCH_SCALE=tiny) against
 * the built server, and prints its figures. What the figures are is never checked here: speed is
 * measured by running the benches, not asserted by tests.
 */
const ROOT = resolve(__dirname, '../..');
const figure = String.raw`[\d,.]+`;

async function bench(script: string): Promise<string> {
  const { stdout } = await promisify(execFile)('npm', ['run', '--silent', script], {
    cwd: ROOT,
    env: { ...process.env, BENCH_SCALE: 'tiny', BENCH_BUILD: 'false', BENCH_CPU_PROF: 'false' },
    timeout: 240_000,
    maxBuffer: 1 << 22,
  });
  return stdout;
}

describe('the benchmarks at their tiny size', () => {
  it('each prints its figures: webhook beside its peers, handling, quotas, and the approval load', async () => {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });

    const webhook = await bench('bench:webhook');
    for (const server of ['bare Koa 3 "ok"', 'co-wechat 2.4', 'dandang, ']) {
      expect(webhook).toMatch(new RegExp(`^${server.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*\\s${figure}\\s+${figure} ms\\s+${figure} ms\\s+${figure}\\s+${figure}\\s+${figure} µs\\s+${figure} MB`, 'm'));
    }
    expect(webhook).toMatch(new RegExp(`dandang, .* req/s ×${figure}\\s+p99 ×${figure}\\s+CPU per request ×${figure}`));
    expect(webhook).toMatch(new RegExp(`${figure} events accepted, ${figure} redeliveries.* ${figure} handled .*: backlog ${figure}`));
    expect(webhook).toMatch(new RegExp(`drained ${figure} s after the load ended`));
    expect(webhook).toMatch(/pinned with taskset|NOT pinned/);
    expect(webhook).toMatch(new RegExp(`^  dandang, .* ${figure} req/s\\s+p50 ${figure} ms\\s+p99 ${figure} ms\\s+errors ${figure}$`, 'm'));
    expect(webhook).toMatch(new RegExp(`MariaDB ${figure} µs, Redis ${figure} µs`));

    const handling = await bench('bench:handling');
    expect(handling).toMatch(new RegExp(`co-wechat 2.4, the same callbacks, acknowledged: ${figure} req/s`));
    expect(handling).toMatch(new RegExp(`handled during the burst: ${figure} events in ${figure} s = ${figure} events/s \\(×${figure} co-wechat`));
    expect(handling).toMatch(new RegExp(`backlog at the end of the burst: ${figure} events; drained ${figure} s after`));
    expect(handling).toMatch(new RegExp(`memory of the server process alone .*: ${figure} MB .* up to ${figure} MB .* ${figure} MB once drained; ${figure} MB`));

    const quotas = await bench('bench:quotas');
    const backends = process.env.TEST_DATABASE_URL ? ['SQLite', 'MariaDB'] : ['SQLite'];
    for (const backend of backends) expect(quotas).toMatch(new RegExp(`^${backend}\\s+${figure} people .* ${figure} queries\\s+${figure} ms`, 'm'));

    // The approval load needs MariaDB and Redis (as CI has them).
    if (process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL) {
      const load = await bench('bench:load');
      expect(load).toMatch(new RegExp(`callbacks\\s+${figure} in ${figure} s = ${figure} callbacks/s`));
      expect(load).toMatch(/errors\s+0$/m);
    }
  }, 900_000);
});
