/**
 * 谈心谈话 quota computation (issue 18, goal 3) on a generated roster: the time it takes and the
 * number of database queries it issues (every query the data source runs, counted by a TypeORM
 * logger), at several sizes, on SQLite and, when TEST_DATABASE_URL (or DATABASE_URL) is set, on
 * MariaDB too, to show the queries stay constant as the roster grows.
 *
 *   npm run bench:quotas                    # 5,000 and 50,000 people
 *   npm run bench:quotas -- 1000 20000      # other sizes; BENCH_SCALE=tiny: 500 people
 */
import type { DataSource, Logger } from 'typeorm';
import type { Config } from '../src/config';
import { progressByTalker } from '../src/domain/talks/progress';
import { TalkQuotas } from '../src/domain/talks/quotas';
import { DEFAULT_TALK_SETTINGS } from '../src/domain/talks/settings';
import { createDataSource } from '../src/storage/dataSource';
import { attachFieldCipher } from '../src/storage/fieldCipher';
import { insert } from '../src/storage/sql';
import { freshMysqlDatabase } from '../test/support/backends';
import { benchCipher, mysqlUrl, tiny } from './support';

const PER_UNIT = 50;
const DEPARTMENTS = 4;
const NOW = '2026-01-01T00:00:00.000Z';

async function insertAll(db: DataSource, table: string, rows: Record<string, unknown>[]): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < rows.length; i += 500) await insert(tx, table, rows.slice(i, i + 500));
  });
}

/**
 * A zone of `size` people: units of 50 (a 镇街园 or 机关部门 with four 内设机构), each with a
 * 主要领导, four 班子成员 who each supervise a department, four department heads and staff; some
 * joined or left during the year; about one talk held for every three people.
 */
async function generate(db: DataSource, size: number): Promise<void> {
  const unitCount = Math.ceil(size / PER_UNIT);
  const units: Record<string, unknown>[] = [{ id: 1, code: 'KFQ', name: '临港开发区', kind: '开发区', parent_id: null, created_at: NOW, updated_at: NOW }];
  const people: Record<string, unknown>[] = [];
  const roles: Record<string, unknown>[] = [];
  const talks: Record<string, unknown>[] = [];
  const participants: Record<string, unknown>[] = [];
  const topId = (u: number) => 2 + u * (DEPARTMENTS + 1);
  for (let u = 0; u < unitCount; u += 1) {
    units.push({ id: topId(u), code: `U${u}`, name: `单位${u}`, kind: u % 2 ? '机关部门' : '镇街园', parent_id: 1, created_at: NOW, updated_at: NOW });
    for (let d = 1; d <= DEPARTMENTS; d += 1) {
      units.push({ id: topId(u) + d, code: `U${u}-${d}`, name: `科室${d}`, kind: '内设机构', parent_id: topId(u), created_at: NOW, updated_at: NOW });
    }
  }
  for (let i = 0; i < size; i += 1) {
    const u = Math.floor(i / PER_UNIT);
    const slot = i % PER_UNIT;
    const dept = slot === 0 || slot <= DEPARTMENTS ? 0 : 1 + (slot % DEPARTMENTS);
    const id = i + 1;
    people.push({
      id, code: `G${id}`, name: `干部${id}`, post: '科员', nature: '行政', unit_id: topId(u) + dept, city_managed: 0, wecom_user_id: null,
      dingtalk_user_id: null, joined_on: i % 20 === 7 ? '2026-05-01' : '2015-01-01', left_on: i % 50 === 11 ? '2026-08-31' : null, created_at: NOW, updated_at: NOW,
    });
    const role = (r: string, unitId: number) => roles.push({ person_id: id, role: r, unit_id: unitId, created_at: NOW });
    if (slot === 0) {
      role('unitLeader', topId(u));
      role('partySecretary', topId(u));
    } else if (slot <= DEPARTMENTS) {
      role('leadershipMember', topId(u));
      role('supervisingLeader', topId(u) + slot);
    } else if (slot <= 2 * DEPARTMENTS) {
      role('departmentHead', topId(u) + 1 + (slot % DEPARTMENTS));
    }
    if (dept > 0 && i % 3 === 0) {
      // The 班子成员 in slot `dept` supervises department `dept`.
      const supervisor = u * PER_UNIT + dept + 1;
      talks.push({
        id: talks.length + 1, draft_key: `b${talks.length + 1}`, talker_id: supervisor, talked_on: '2026-06-15', kind: '年度谈心谈话', place: '办公室',
        topics: '工作', summary: '谈了工作。', issues_raised: null, follow_ups: null, channel: 'bench', created_at: NOW,
      });
      participants.push({ talk_id: talks.length, person_id: id });
    }
  }
  await insertAll(db, 'units', units);
  await insertAll(db, 'people', people);
  await insertAll(db, 'role_assignments', roles);
  await insertAll(db, 'talks', talks);
  await insertAll(db, 'talk_participants', participants);
}

/** Counts the queries a data source runs: what a use case costs in round trips. */
class QueryCounter implements Logger {
  queries = 0;
  logQuery(): void {
    this.queries += 1;
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

type Backend = 'SQLite' | 'MariaDB';

async function open(backend: Backend, counter: QueryCounter): Promise<{ db: DataSource; drop(): Promise<void> }> {
  const fresh = backend === 'MariaDB' ? await freshMysqlDatabase(mysqlUrl, 'dandang_bench_') : undefined;
  const config: Config['database'] = fresh ? { kind: 'mysql', url: fresh.url } : { kind: 'sqlite', path: ':memory:' };
  const db = attachFieldCipher(createDataSource(config).setOptions({ logger: counter }), benchCipher);
  await db.initialize();
  await db.runMigrations();
  return { db, drop: async () => (await db.destroy(), await fresh?.drop()) };
}

async function measure(backend: Backend, size: number): Promise<void> {
  const counter = new QueryCounter();
  const { db, drop } = await open(backend, counter);
  try {
    const loadStarted = performance.now();
    await generate(db, size);
    const loadMs = performance.now() - loadStarted;
    const quotas = new TalkQuotas(db, DEFAULT_TALK_SETTINGS);
    const runs: { ms: number; queries: number }[] = [];
    let obligations = 0;
    let leaders = 0;
    for (let run = 0; run < 3; run += 1) {
      counter.queries = 0;
      const started = performance.now();
      const report = await quotas.compute(2026, '2026-11-27');
      runs.push({ ms: performance.now() - started, queries: counter.queries });
      leaders = progressByTalker(report).size;
      obligations = report.obligations.length;
    }
    const median = [...runs].sort((a, b) => a.ms - b.ms)[1];
    console.log(
      `${backend.padEnd(8)} ${size.toLocaleString('en-US').padStart(7)} people  ${obligations.toLocaleString('en-US').padStart(7)} pairs owed a talk, ${leaders.toLocaleString('en-US').padStart(6)} leaders  ` +
        `${String(median.queries).padStart(3)} queries  ${median.ms.toFixed(0).padStart(6)} ms (median of 3; roster generated in ${(loadMs / 1000).toFixed(1)} s)`,
    );
  } finally {
    await drop();
  }
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const sizes = asked.length > 0 ? asked : tiny ? [500] : [5_000, 50_000];
  const backends: Backend[] = mysqlUrl ? ['SQLite', 'MariaDB'] : ['SQLite'];
  console.log(`\n谈心谈话 quotas for a whole year, on ${backends.join(' and ')}${mysqlUrl ? '' : ' (set TEST_DATABASE_URL for MariaDB too)'}; Node ${process.version}\n`);
  for (const backend of backends) for (const size of sizes) await measure(backend, size);
  console.log('\nqueries: every statement the data source ran during one computation, counted by a TypeORM logger.\n');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
