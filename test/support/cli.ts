import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Config } from '../../src/config';
import { freshMysqlDatabase, type DatabaseBackend } from './backends';
import { TEST_DATA_KEYS } from './fieldKeys';

const TSX = join(__dirname, '../../node_modules/.bin/tsx');

/** Runs an `npm run …` command's script as its own process, on the given database. */
export async function runScript(script: string, args: string[], databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return promisify(execFile)(TSX, [join(__dirname, '../..', script), ...args], { env: { ...process.env, DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS, DATABASE_URL: databaseUrl, ...env }, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

/** A database of this kind that another process can open too (SQLite as a file, not in memory). */
export async function sharedDatabase(backend: DatabaseBackend): Promise<{ config: Config['database']; url: string; drop(): Promise<void> }> {
  if (backend.name === 'mariadb') {
    const fresh = await freshMysqlDatabase();
    return { config: { kind: 'mysql', url: fresh.url }, url: fresh.url, drop: fresh.drop };
  }
  const dir = mkdtempSync(join(tmpdir(), 'dandang-shared-'));
  const path = join(dir, 'db.sqlite');
  return { config: { kind: 'sqlite', path }, url: `sqlite:${path}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
