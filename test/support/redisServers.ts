import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';

/** A port nothing listens on right now, on loopback. */
export async function sparePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A redis-server process of the test's own, on a spare loopback port, so that a test may kill it,
 * restart it empty or fail it over without touching the Redis other test files share. Data lives
 * in memory only (no RDB, no AOF) unless `args` say otherwise: what a restart loses is all of it.
 */
export class RedisProcess {
  private child?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'dandang-redis-'));

  private constructor(
    readonly port: number,
    private readonly args: string[],
    private readonly config?: string,
  ) {}

  static async server(options: { port?: number; args?: string[] } = {}): Promise<RedisProcess> {
    const started = new RedisProcess(options.port ?? (await sparePort()), ['--save', '', '--appendonly', 'no', ...(options.args ?? [])]);
    await started.start();
    return started;
  }

  /** A Sentinel watching `master` as `name`, deciding a failover on its own (quorum 1) after 1 s down. */
  static async sentinel(master: RedisProcess, name = 'mymaster'): Promise<RedisProcess> {
    const config = [
      `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 10000`,
      `sentinel parallel-syncs ${name} 1`,
    ].join('\n');
    const started = new RedisProcess(await sparePort(), ['--sentinel'], config);
    await started.start();
    return started;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const args = [`--port`, String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, ...this.args];
    if (this.config !== undefined) {
      // A sentinel rewrites its configuration file as it learns: it must be a file of its own.
      const file = join(this.dir, 'sentinel.conf');
      writeFileSync(file, `${this.config}\n`);
      args.unshift(file);
    }
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.child = child;
    const failed = new Promise<never>((_, reject) => child.once('error', (e) => reject(new Error(`redis-server could not be started: ${e.message}`))));
    await Promise.race([failed, this.waitForPing()]);
  }

  /** SIGKILL: the process is gone at once, with whatever it held in memory. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async command<T>(...args: (string | number)[]): Promise<T> {
    const client = new Redis(this.port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.call(String(args[0]), ...args.slice(1).map(String))) as T;
    } finally {
      client.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async waitForPing(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        if ((await this.command<string>('PING')) === 'PONG') return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer`);
      await sleep(50);
    }
  }
}
