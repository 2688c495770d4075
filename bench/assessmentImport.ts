/**
 * The 考核 ledger import at the zone's size and beyond: a roster of 5,000 people in 50 units is
 * imported from Excel (the peer: the roster import, the same size of workbook), then five years of
 * 考核结果 from Excel, one workbook a year, each followed by the 第八条 trigger computation it
 * includes; then one year again unchanged and again with every tenth person's grade corrected. SQLite in
 * memory, and MariaDB when TEST_DATABASE_URL (or DATABASE_URL) is set.
 *
 *   npm run bench:assessment                  # 5,000 people × 5 years
 *   npm run bench:assessment -- 20000 3       # other sizes
 *   TEST_DATABASE_URL=mysql://root@127.0.0.1:3306/test npm run bench:assessment
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { DataSource } from 'typeorm';
import { ManualClock } from '../src/clock';
import { AuditLog } from '../src/domain/audit';
import { importLedger, type LedgerReport } from '../src/domain/assessment/importLedger';
import { LINE_COLUMNS, PERSON_COLUMNS, readLedgerFile, UNIT_COLUMNS } from '../src/domain/assessment/ledgerFile';
import { importRosterFile } from '../src/roster/importRoster';
import { PERSON_COLUMNS as ROSTER_PERSON, UNIT_COLUMNS as ROSTER_UNIT } from '../src/roster/rosterFile';
import { createDataSource } from '../src/storage/dataSource';
import { freshMysqlDatabase } from '../test/support/backends';
import { mysqlUrl } from './support';

const PER_UNIT = 100;
const FIRST_YEAR = 2022;
const clock = new ManualClock(new Date('2027-01-15T02:00:00Z'));

/** A fixed pseudo-random sequence, so that every run imports the same workbooks. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

async function workbook(path: string, sheets: Record<string, { headers: string[]; rows: (string | number)[][] }>): Promise<void> {
  const wb = new ExcelJS.Workbook();
  for (const [name, { headers, rows }] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    ws.addRow(headers);
    for (const row of rows) ws.addRow(row);
  }
  await wb.xlsx.writeFile(path);
}

const unitCode = (u: number) => `U${u}`;
const isTown = (u: number) => u % 2 === 0;

async function rosterWorkbook(path: string, size: number): Promise<void> {
  const units = Math.ceil(size / PER_UNIT);
  const unitRows = [['KFQ', '临港开发区', '开发区', '']];
  for (let u = 0; u < units; u++) unitRows.push([unitCode(u), `单位${u}`, isTown(u) ? '镇街园' : '机关部门', 'KFQ']);
  unitRows.push(['HR', '组织人事科', '内设机构', 'KFQ']);
  const people: string[][] = [['HR1', '人事甲', 'HR', '科长', '行政', '否', '', '', '', '', '组织人事部门@KFQ']];
  for (let i = 0; i < size; i++) {
    const u = Math.floor(i / PER_UNIT);
    const lead = i % PER_UNIT === 0;
    people.push([`G${i}`, `干部${i}`, unitCode(u), lead ? '主要负责人' : '科员', i % 3 === 0 ? '事业' : '行政', '否', '', '', '', '', lead ? '主要领导；党组织主要负责人' : '']);
  }
  await workbook(path, {
    units: { headers: Object.values(ROSTER_UNIT), rows: unitRows },
    people: { headers: Object.values(ROSTER_PERSON), rows: people },
  });
}

/** One year's results: mostly 称职/合格, about a tenth 优秀, a few lower, some vote shares; `corrected`: every tenth person 优秀. */
async function ledgerWorkbook(path: string, size: number, year: number, corrected = false): Promise<void> {
  const next = random(year * 7919);
  const people: (string | number)[][] = [];
  for (let i = 0; i < size; i++) {
    const r = next();
    const civil = i % 3 !== 0;
    const grade = r < 0.1 || (corrected && i % 10 === 0) ? '优秀' : r < 0.97 ? (civil ? '称职' : '合格') : r < 0.995 ? (civil ? '基本称职' : '基本合格') : civil ? '不称职' : '不合格';
    const votes = Math.floor(next() * 40);
    people.push([`G${i}`, `干部${i}`, grade, `${Math.min(votes, 12)}/40`, '', '', '', '', '', '', '']);
  }
  const units = Math.ceil(size / PER_UNIT);
  const unitRows: (string | number)[][] = [];
  for (let u = 0; u < units; u++) {
    const category = isTown(u) ? '镇街园' : u % 4 === 1 ? '综合保障部门' : '经济服务部门';
    unitRows.push([unitCode(u), `单位${u}`, category, 0, ['第一等次', '第二等次', '第三等次'][u % 3], '', '']);
  }
  // Places within each category, in an order that changes from year to year.
  for (const category of ['镇街园', '综合保障部门', '经济服务部门']) {
    const members = unitRows.filter((row) => row[2] === category).sort(() => next() - 0.5);
    members.forEach((row, i) => (row[3] = i + 1));
  }
  const lines = unitRows.map((row, i) => ['安全生产', row[0], row[1], i + 1]);
  await workbook(path, {
    人员: { headers: Object.values(PERSON_COLUMNS), rows: people },
    单位: { headers: Object.values(UNIT_COLUMNS), rows: unitRows },
    条线: { headers: Object.values(LINE_COLUMNS), rows: lines },
  });
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function run(label: string, db: DataSource, size: number, years: number, dir: string): Promise<void> {
  const rosterPath = join(dir, 'roster.xlsx');
  await rosterWorkbook(rosterPath, size);
  const roster = await timed(() => importRosterFile(db, rosterPath, clock));
  console.log(`${label.padEnd(8)} roster import (peer): ${roster.value.people.added.length} people, ${seconds(roster.ms)}`);

  const deps = { clock, audit: new AuditLog(clock) };
  let total = 0;
  let report: LedgerReport | undefined;
  for (let y = 0; y < years; y++) {
    const year = FIRST_YEAR + y;
    const path = join(dir, `ledger-${year}.xlsx`);
    await ledgerWorkbook(path, size, year);
    const read = await timed(() => readLedgerFile(path));
    const imported = await timed(() => importLedger(db, year, read.value, deps));
    report = imported.value;
    total += read.ms + imported.ms;
    console.log(
      `${label.padEnd(8)} ${year}: read ${seconds(read.ms)}, import ${seconds(imported.ms)} (${report.people.added.length} people, ${report.units.added.length} units, ` +
        `${report.lines.added.length} 条线 rows; ${report.triggers.found.length} 第八条 triggers)`,
    );
  }
  console.log(`${label.padEnd(8)} ${size} people × ${years} years from Excel: ${seconds(total)} in all`);

  const last = FIRST_YEAR + years - 1;
  const path = join(dir, `ledger-${last}.xlsx`);
  const again = await timed(async () => importLedger(db, last, await readLedgerFile(path), deps));
  console.log(`${label.padEnd(8)} ${last} again, unchanged: read and import ${seconds(again.ms)} (${again.value.people.unchanged} unchanged)`);
  const changedPath = join(dir, `ledger-${last}-changed.xlsx`);
  await ledgerWorkbook(changedPath, size, last, true);
  const changed = await timed(async () => importLedger(db, last, await readLedgerFile(changedPath), deps));
  console.log(`${label.padEnd(8)} ${last} again, corrected: read and import ${seconds(changed.ms)} (${changed.value.people.updated.length} rows updated in place)`);
}

async function main(): Promise<void> {
  const [size = 5_000, years = 5] = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const dir = mkdtempSync(join(tmpdir(), 'dandang-bench-'));
  try {
    const sqlite = createDataSource({ kind: 'sqlite', path: ':memory:' });
    await sqlite.initialize();
    await sqlite.runMigrations();
    await run('SQLite', sqlite, size, years, dir);
    await sqlite.destroy();
    if (mysqlUrl) {
      const fresh = await freshMysqlDatabase(mysqlUrl, 'dandang_b_');
      const mysql = createDataSource({ kind: 'mysql', url: fresh.url });
      await mysql.initialize();
      await mysql.runMigrations();
      try {
        await run('MariaDB', mysql, size, years, dir);
      } finally {
        await mysql.destroy();
        await fresh.drop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
