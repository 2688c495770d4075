import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from './dandang';
import { loadNote, pinSelf } from './processes';

export const n = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const ms = (value: number) => `${value < 10 ? n(value, 2) : n(value, 1)} ms`;
export const mb = (value: number) => `${n(value)} MB`;

/**
 * A server benchmark's frame: the build, this process on the load core, a scratch folder for the
 * callback files and logs (removed after), and the load average at the end; a failure sets the
 * exit code.
 */
export function runServerBench(name: string, body: (dir: string) => Promise<void>): void {
  const run = async () => {
    build();
    pinSelf();
    const dir = mkdtempSync(join(tmpdir(), `dandang-bench-${name}-`));
    try {
      await body(dir);
      console.log(`at end: ${loadNote()}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
