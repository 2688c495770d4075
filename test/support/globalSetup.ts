/**
 * Says which backends the storage and state suites run on, and refuses to run in CI without
 * MariaDB and Redis: there a missing service is a failure, not a skip.
 */
export default function setup(): void {
  const database = process.env.TEST_DATABASE_URL ? 'sqlite + mariadb' : 'sqlite only';
  const state = process.env.TEST_REDIS_URL ? 'memory + redis' : 'memory only';
  console.log(`\n[dandang tests] database backends: ${database}; state backends: ${state}\n`);
  if (process.env.CI && (!process.env.TEST_DATABASE_URL || !process.env.TEST_REDIS_URL)) {
    throw new Error('CI must set TEST_DATABASE_URL and TEST_REDIS_URL: the MariaDB and Redis suites may not be skipped there');
  }
}
