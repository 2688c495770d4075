/**
 * 谈心谈话 quota computation on a generated roster: the time it takes and the number of database
 * queries it makes, at several sizes, to show the queries stay constant as the roster grows.
 *
 *   npx tsx bench/quotas.ts                 # SQLite in memory, 5,000 and 50,000 people
 *   npx tsx bench/quotas.ts 1000 20000      # other sizes
 *   TEST_DATABASE_URL=mysql://root@127.0.0.1:3306/test npx tsx bench/quotas.ts   # MariaDB
 */
import type { DataSource } from 'typeorm';
import { progressByTalker } from '../src/domain/talks/progress';
import { TalkQuotas } from '../src/domain/talks/quotas';
import { DEFAULT_TALK_SETTINGS } from '../src/domain/talks/settings';
import { createDataSource } from '../src/storage/dataSource';
import { insert, type Executor } from '../src/storage/sql';
import { freshMysqlDatabase, mysqlUrl } from '../test/support/backends';

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

async function open(): Promise<{ db: DataSource; label: string; drop(): Promise<void> }> {
  if (mysqlUrl) {
    const fresh = await freshMysqlDatabase();
    const db = createDataSource({ kind: 'mysql', url: fresh.url });
    await db.initialize();
    await db.runMigrations();
    return { db, label: 'MariaDB', drop: async () => (await db.destroy(), await fresh.drop()) };
  }
  const db = createDataSource({ kind: 'sqlite', path: ':memory:' });
  await db.initialize();
  await db.runMigrations();
  return { db, label: 'SQLite', drop: () => db.destroy() };
}

async function measure(size: number): Promise<void> {
  const { db, label, drop } = await open();
  try {
    const loadStarted = performance.now();
    await generate(db, size);
    const loadMs = performance.now() - loadStarted;
    let queries = 0;
    const counting = { query: (sql: string, params?: unknown[]) => ((queries += 1), db.query(sql, params)) } as unknown as Executor;
    const quotas = new TalkQuotas(db, DEFAULT_TALK_SETTINGS);
    const runs: number[] = [];
    let obligations = 0;
    let leaders = 0;
    for (let run = 0; run < 3; run += 1) {
      queries = 0;
      const started = performance.now();
      const report = await quotas.compute(2026, '2026-11-27', counting);
      leaders = progressByTalker(report).size;
      runs.push(performance.now() - started);
      obligations = report.obligations.length;
    }
    const median = [...runs].sort((a, b) => a - b)[1];
    console.log(
      `${label.padEnd(8)} ${String(size).padStart(7)} people  ${String(obligations).padStart(7)} pairs owed a talk, ${String(leaders).padStart(5)} leaders  ` +
        `${String(queries).padStart(2)} queries  ${median.toFixed(0).padStart(6)} ms (median of 3; roster generated in ${(loadMs / 1000).toFixed(1)} s)`,
    );
  } finally {
    await drop();
  }
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  for (const size of sizes.length > 0 ? sizes : [5_000, 50_000]) await measure(size);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
