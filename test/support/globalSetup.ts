import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Builds the console's pages when their sources changed since the last build (the browser and
 * page tests serve them), says which backends the storage and state suites run on, and refuses to run in CI without
 * MariaDB and Redis: there a missing service is a failure, not a skip.
 */
export default function setup(): void {
  const built = spawnSync(process.execPath, [join(__dirname, '../../scripts/buildWeb.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run web:build failed: the console pages could not be built');
  const database = process.env.TEST_DATABASE_URL ? 'sqlite + mariadb' : 'sqlite only';
  const state = process.env.TEST_REDIS_URL ? 'memory + redis' : 'memory only';
  console.log(`\n[dandang tests] database backends: ${database}; state backends: ${state}\n`);
  if (process.env.CI && (!process.env.TEST_DATABASE_URL || !process.env.TEST_REDIS_URL)) {
    throw new Error('CI must set TEST_DATABASE_URL and TEST_REDIS_URL: the MariaDB and Redis suites may not be skipped there');
  }
}
