import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TEST_DATA_KEYS } from './fieldKeys';
import { sparePort } from './redisServers';

const ROOT = join(__dirname, '..', '..');

/**
 * `src/main.ts` as a process of its own, as it runs in production: its main port and its admin
 * port are spare loopback ports unless `env` names them. Everything it prints is kept.
 */
export class BotProcess {
  readonly output: string[] = [];
  private child?: ChildProcess;
  private exited?: Promise<void>;
  url = '';

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  async start(): Promise<this> {
    const port = await sparePort();
    this.url = `http://127.0.0.1:${port}`;
    // One process, tsx as a loader: the tsx command would start the bot as its own child, which a
    // SIGKILL of the command leaves running.
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', ADMIN_PORT: String(await sparePort()), DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) stream.on('data', (chunk: Buffer) => this.output.push(chunk.toString()));
    this.exited = new Promise((resolve) => this.child!.once('exit', () => resolve()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      const ok = await fetch(`${this.url}/healthz`).then((r) => r.ok, () => false);
      if (ok) return this;
      if (this.child.exitCode !== null || Date.now() > deadline) throw new Error(`bot did not start:\n${this.output.join('')}`);
      await sleep(100);
    }
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill(signal);
    await this.exited;
  }
}
