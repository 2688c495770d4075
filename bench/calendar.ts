/**
 * The working-day calendar's costs, beside each other in one run: a working-day lookup in a year
 * the package carries, in a year the zone loaded and in a year nobody has; and what each scheduler
 * pass pays to stay current (refresh: one version query) against re-reading every loaded day.
 *
 *   npx tsx bench/calendar.ts                                                    # SQLite in memory
 *   TEST_DATABASE_URL=mysql://root@127.0.0.1:3306/test npx tsx bench/calendar.ts   # and MariaDB
 */
import type { DataSource } from 'typeorm';
import { readCalendarFile, SAMPLE_CALENDAR_PATH } from '../src/calendar/calendarFile';
import { WorkingCalendar } from '../src/calendar/workingCalendar';
import { AuditLog } from '../src/domain/audit';
import { RosterRepository } from '../src/roster/rosterRepository';
import { addDays, isWorkingDay } from '../src/scheduling/workdays';
import { createDataSource } from '../src/storage/dataSource';
import { freshMysqlDatabase, testClock } from '../test/support/backends';
import { mysqlUrl, percentile } from './support';

function lookups(year: number, rounds: number): number {
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r += 1) for (let d = `${year}-01-01`; d <= `${year}-12-31`; d = addDays(d, 1)) isWorkingDay(d);
  return Number(process.hrtime.bigint() - start) / 1000 / (rounds * 365);
}

async function timed(times: number, work: () => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}

async function onDatabase(name: string, db: DataSource): Promise<void> {
  const clock = testClock();
  const calendar = new WorkingCalendar(db, { audit: new AuditLog(clock), clock, roster: new RosterRepository(db) });
  await calendar.load((await readCalendarFile(SAMPLE_CALENDAR_PATH)).arrangements, { actor: null, channel: 'bench', source: 'bench' });
  const refresh = await timed(500, () => calendar.refresh());
  const reload = await timed(500, () => calendar.reload());
  const ms = (t: { p50: number; p99: number }) => `p50 ${t.p50.toFixed(3)} ms, p99 ${t.p99.toFixed(3)} ms`;
  console.log(`${name.padEnd(8)} refresh, unchanged (each scheduler pass): ${ms(refresh)}`);
  console.log(`${name.padEnd(8)} reload of every loaded day (after a load):  ${ms(reload)}`);
}

async function main(): Promise<void> {
  const sqlite = createDataSource({ kind: 'sqlite', path: ':memory:' });
  await sqlite.initialize();
  await sqlite.runMigrations();
  await onDatabase('sqlite', sqlite);
  // The sample 2027 is now installed: the three kinds of year side by side.
  lookups(2026, 20);
  console.log(`isWorkingDay, µs per call: 2026 (chinese-days) ${lookups(2026, 200).toFixed(2)}, 2027 (loaded) ${lookups(2027, 200).toFixed(2)}, 2028 (neither) ${lookups(2028, 200).toFixed(2)}`);
  await sqlite.destroy();
  if (mysqlUrl) {
    const fresh = await freshMysqlDatabase(mysqlUrl, 'dandang_bench_');
    const mariadb = createDataSource({ kind: 'mysql', url: fresh.url });
    await mariadb.initialize();
    await mariadb.runMigrations();
    try {
      await onDatabase('mariadb', mariadb);
    } finally {
      await mariadb.destroy();
      await fresh.drop();
    }
  }
}

void main();
