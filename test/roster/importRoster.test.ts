import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ManualClock } from '../../src/clock';
import { formatReport, importRoster, importRosterFile, RosterImportError } from '../../src/roster/importRoster';
import { parseRosterYaml, PERSON_COLUMNS, UNIT_COLUMNS } from '../../src/roster/rosterFile';
import { RosterRepository } from '../../src/roster/rosterRepository';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { createDataSource } from '../../src/storage/dataSource';

type Row = Record<string, string>;
interface YamlRoster {
  units: Row[];
  people: Row[];
}

const clock = new ManualClock(new Date('2026-01-05T02:00:00.000Z'));
const sampleText = readFileSync(SAMPLE_ROSTER_PATH, 'utf8');
/** A fresh, editable copy of the sample roster, as an HR clerk would open it. */
const sample = (): YamlRoster => parse(sampleText) as YamlRoster;
const rosterOf = (doc: YamlRoster) => parseRosterYaml(stringify(doc));
const personIn = (doc: YamlRoster, code: string): Row => doc.people.find((p) => p['人员编号'] === code)!;

async function sqlite(): Promise<DataSource> {
  const db = createDataSource({ kind: 'sqlite', path: ':memory:' });
  await db.initialize();
  await db.runMigrations();
  return db;
}

/** Other suites share the server's `test` database, so this suite keeps one of its own and empties it. */
async function mariadb(): Promise<DataSource> {
  const serverUrl = process.env.TEST_DATABASE_URL!;
  const admin = await createConnection(serverUrl);
  try {
    await admin.query('CREATE DATABASE IF NOT EXISTS dandang_roster_test CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci');
    await admin.query('USE dandang_roster_test');
    const [tables] = await admin.query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()');
    await admin.query('SET FOREIGN_KEY_CHECKS=0');
    for (const { name } of tables as { name: string }[]) await admin.query(`DROP TABLE \`${name}\``);
    await admin.query('SET FOREIGN_KEY_CHECKS=1');
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = '/dandang_roster_test';
  const db = createDataSource({ kind: 'mysql', url: url.toString() });
  await db.initialize();
  await db.runMigrations();
  return db;
}

async function withDb(open: () => Promise<DataSource>, story: (db: DataSource) => Promise<void>): Promise<void> {
  const db = await open();
  try {
    await story(db);
  } finally {
    await db.destroy();
  }
}

async function dump(db: DataSource): Promise<string> {
  const tables: Record<string, unknown> = {};
  for (const table of ['units', 'people', 'role_assignments']) tables[table] = await db.query(`SELECT * FROM ${table} ORDER BY id`);
  return JSON.stringify(tables);
}

async function refusal(promise: Promise<unknown>): Promise<RosterImportError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RosterImportError);
  return error as RosterImportError;
}

function storiesOn(open: () => Promise<DataSource>): void {
  it('importing the sample roster twice creates no duplicates, and the second report says nothing changed', () =>
    withDb(open, async (db) => {
      const first = await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
      expect(first.units.added).toHaveLength(17);
      expect(first.people.added).toHaveLength(40);
      const counts = await new RosterRepository(db).counts();

      const second = await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);

      expect(await new RosterRepository(db).counts()).toEqual(counts);
      expect(second).toEqual({
        units: { added: [], updated: [], unchanged: 17 },
        people: { added: [], updated: [], unchanged: 40 },
        roles: { added: [], removed: [] },
      });
      expect(formatReport(second)).toBe('单位：新增 0，更新 0，未变 17\n人员：新增 0，更新 0，未变 40\n角色：新增 0，撤销 0');
    }));

  it('a file with bad rows is refused with each row and reason, and the database is left byte-for-byte as it was', () =>
    withDb(open, async (db) => {
      await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
      const before = await dump(db);

      const doc = sample();
      doc.people[0]['职务'] = '党工委书记（兼）'; // a good change, which must not slip through either
      doc.people[2]['角色'] = '班子成员@KFQ；分管x领导@JG01';
      doc.people[5]['单位编码'] = 'JG99';
      doc.people[7]['人员编号'] = doc.people[6]['人员编号'];
      doc.people[9]['入职日期'] = '2021-02-30';
      doc.units.push({ 编码: 'JG05', 名称: '财政局', 类型: '机关部门', 上级编码: 'KFQ' });
      const error = await refusal(importRoster(db, rosterOf(doc), clock));

      expect(error.problems).toEqual([
        { row: 'people 第3条', reason: expect.stringContaining('角色“分管x领导”不存在') },
        { row: 'people 第6条', reason: '单位编码“JG99”不存在' },
        { row: 'people 第8条', reason: `人员编号“${doc.people[6]['人员编号']}”重复（people 第7条已有）` },
        { row: 'people 第10条', reason: expect.stringContaining('入职日期“2021-02-30”不是有效日期') },
      ]);
      expect(error.message).toContain('people 第6条：单位编码“JG99”不存在');
      expect(await dump(db)).toBe(before);
    }));

  it('looks several identities up in one query, each as it is looked up alone', () =>
    withDb(open, async (db) => {
      await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
      const roster = new RosterRepository(db);
      const identities = [
        { channel: 'wecom' as const, channelUserId: 'wangfang01' },
        { channel: 'simulator' as const, channelUserId: 'P014' },
        { channel: 'wecom' as const, channelUserId: 'nobody-here' },
        { channel: 'simulator' as const, channelUserId: 'P014' },
      ];
      const alone = await Promise.all(identities.map((identity) => roster.personByIdentity(identity)));
      expect(alone.map((p) => p?.code)).toEqual(['P005', 'P014', undefined, 'P014']);
      expect(await roster.peopleByIdentities(identities)).toEqual(alone);
    }));
}

describe('importing the org roster (SQLite)', () => {
  storiesOn(sqlite);

  it('changing a person’s post updates that person in place, and the report names the change', () =>
    withDb(sqlite, async (db) => {
      await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
      const roster = new RosterRepository(db);
      const [before] = (await roster.peopleNamed('王芳')).filter((p) => p.code === 'P013');
      const counts = await roster.counts();

      const doc = sample();
      personIn(doc, 'P013')['职务'] = '经济发展局局长（主持工作）';
      const report = await importRoster(db, rosterOf(doc), clock);

      expect(report.people).toEqual({ added: [], updated: [{ code: 'P013', name: '王芳', fields: ['职务'] }], unchanged: 39 });
      expect(await roster.person(before.id)).toEqual({ ...before, post: '经济发展局局长（主持工作）' });
      expect(await roster.counts()).toEqual(counts);
      expect(formatReport(report)).toContain('  更新 P013 王芳：职务');
    }));

  it('units with an unknown kind or a parent cycle, and a WeCom id used twice, are all refused', () =>
    withDb(sqlite, async (db) => {
      const doc = sample();
      doc.units.push(
        { 编码: 'X1', 名称: '甲', 类型: '街道办', 上级编码: 'KFQ' },
        { 编码: 'X2', 名称: '乙', 类型: '机关部门', 上级编码: 'X3' },
        { 编码: 'X3', 名称: '丙', 类型: '机关部门', 上级编码: 'X2' },
      );
      personIn(doc, 'P013')['企业微信ID'] = 'wangfang01';
      const error = await refusal(importRoster(db, rosterOf(doc), clock));

      expect(error.problems).toEqual([
        { row: 'units 第18条', reason: expect.stringContaining('单位类型“街道办”不存在') },
        { row: 'units 第19条', reason: '上级关系成环：X2 → X3 → X2' },
        { row: 'units 第20条', reason: '上级关系成环：X3 → X2 → X3' },
        { row: 'people 第13条', reason: '企业微信ID“wangfang01”重复（people 第5条已用）' },
      ]);
      expect(await new RosterRepository(db).counts()).toEqual({ units: 0, people: 0, roles: 0 });
    }));

  it('an Excel roster imports exactly as the same roster in YAML, and its errors name spreadsheet rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'roster-'));
    try {
      const doc = sample();
      const xlsx = join(dir, 'roster.xlsx');
      await writeWorkbook(xlsx, doc);
      let fromYaml = '';
      await withDb(sqlite, async (db) => {
        await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
        fromYaml = await dump(db);
      });
      await withDb(sqlite, async (db) => {
        const report = await importRosterFile(db, xlsx, clock);
        expect(report.people.added).toHaveLength(40);
        expect(await dump(db)).toBe(fromYaml);
      });

      doc.people[3]['角色'] = '分管x领导';
      const bad = join(dir, 'bad.xlsx');
      await writeWorkbook(bad, doc);
      await withDb(sqlite, async (db) => {
        const error = await refusal(importRosterFile(db, bad, clock));
        expect(error.problems).toEqual([{ row: 'people 第5行', reason: expect.stringContaining('角色“分管x领导”不存在') }]);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a role written without @unit belongs to the person’s own unit', () =>
    withDb(sqlite, async (db) => {
      const doc: YamlRoster = {
        units: [
          { 编码: 'KFQ', 名称: '临港开发区', 类型: '开发区', 上级编码: '' },
          { 编码: 'JG03', 名称: '经济发展局', 类型: '机关部门', 上级编码: 'KFQ' },
        ],
        people: [{ 人员编号: 'P1', 姓名: '刘洋', 单位编码: 'JG03', 职务: '局长', 性质: '行政', 角色: '主要领导；分管领导@KFQ、党组织主要负责人' }],
      };
      await importRoster(db, rosterOf(doc), clock);

      const roster = new RosterRepository(db);
      const [liu] = await roster.peopleNamed('刘洋');
      const unitCode = new Map((await roster.units()).map((u) => [u.id, u.code]));
      const roles = (await roster.rolesOf(liu.id)).map((r) => `${r.role}@${unitCode.get(r.unitId)}`);
      expect(roles).toEqual(['unitLeader@JG03', 'supervisingLeader@KFQ', 'partySecretary@JG03']);
    }));

  it('roles of the people in the file are replaced to match it, and people absent from the file are kept', () =>
    withDb(sqlite, async (db) => {
      await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
      const roster = new RosterRepository(db);
      const counts = await roster.counts();

      const doc: YamlRoster = { units: [], people: [{ ...personIn(sample(), 'P013'), 角色: '分管领导@JG03-01' }] };
      const report = await importRoster(db, rosterOf(doc), clock);

      expect(report.roles).toEqual({
        added: [{ personCode: 'P013', personName: '王芳', role: '分管领导', unitCode: 'JG03-01' }],
        removed: [{ personCode: 'P013', personName: '王芳', role: '班子成员', unitCode: 'JG03' }],
      });
      expect(report.people).toEqual({ added: [], updated: [], unchanged: 1 });
      expect(await roster.counts()).toEqual(counts);
    }));

  it('two people may swap WeCom ids in one import', () =>
    withDb(sqlite, async (db) => {
      await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
      const doc = sample();
      personIn(doc, 'P005')['企业微信ID'] = 'wangfang02';
      personIn(doc, 'P013')['企业微信ID'] = 'wangfang01';
      const report = await importRoster(db, rosterOf(doc), clock);

      expect(report.people.updated.map((p) => `${p.code}:${p.fields.join()}`)).toEqual(['P005:企业微信ID', 'P013:企业微信ID']);
      const who = await new RosterRepository(db).personByIdentity({ channel: 'wecom', channelUserId: 'wangfang01' });
      expect(who?.code).toBe('P013');
    }));

  it('the sample roster names someone for every role that routes work, and has two people called 王芳', () =>
    withDb(sqlite, async (db) => {
      await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
      const roster = new RosterRepository(db);
      const units = await roster.units();
      const unit = (code: string) => units.find((u) => u.code === code)!.id;
      const names = async (role: Parameters<RosterRepository['nearestHolders']>[0], code: string) =>
        (await roster.nearestHolders(role, unit(code)))?.people.map((p) => p.name);

      expect(await names('zonePartyHead', 'KFQ')).toEqual(['陈建国']);
      expect(await names('partyCommitteeHead', 'ZJ01-C01')).toEqual(['郭志明']);
      expect(await names('partyCommitteeHead', 'JG03-02')).toEqual(['陈建国']);
      expect(await names('disciplineMember', 'ZJ02-C01')).toEqual(['萧然']);
      expect(await names('disciplineMember', 'GZ01')).toEqual(['吴海燕', '冯磊']);
      for (const code of ['ZJ01', 'ZJ02', 'JG01', 'JG02', 'JG03', 'JG04', 'GZ01', 'ZJ01-C01', 'ZJ02-C01']) {
        expect(await names('partySecretary', code), code).toHaveLength(1);
      }
      expect(await names('supervisingLeader', 'JG04')).toEqual(['李明华']);
      expect(await names('partyAffairsAdmin', 'JG01')).toEqual(['王芳', '孙丽']);
      expect(await names('personnelOfficer', 'ZJ01')).toEqual(['钱志刚', '郑晓燕']);
      expect((await roster.peopleNamed('王芳')).map((p) => p.unitId)).toEqual([unit('JG01'), unit('JG03')]);
      expect((await roster.activePeople()).filter((p) => p.cityManaged).map((p) => p.name)).toEqual(['陈建国']);
    }));
});

describe.runIf(!!process.env.TEST_DATABASE_URL)('importing the org roster (MariaDB)', () => {
  storiesOn(mariadb);
});

/** Lays the roster out as HR staff keep it in Excel, dates as real date cells. */
async function writeWorkbook(path: string, doc: YamlRoster): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const dates = new Set<string>([PERSON_COLUMNS.joinedOn, PERSON_COLUMNS.leftOn]);
  const sheet = (name: string, headers: string[], rows: Row[]) => {
    const ws = workbook.addWorksheet(name);
    ws.addRow(headers);
    for (const row of rows) {
      ws.addRow(headers.map((h) => (dates.has(h) && row[h] ? new Date(`${row[h]}T00:00:00Z`) : (row[h] ?? null))));
    }
  };
  sheet('units', Object.values(UNIT_COLUMNS), doc.units);
  sheet('people', Object.values(PERSON_COLUMNS), doc.people);
  await workbook.xlsx.writeFile(path);
}
