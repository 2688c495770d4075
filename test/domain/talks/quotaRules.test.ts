import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatQuotaRulesReport } from '../../../src/domain/talks/quotaRules';
import { planQuotaRules, QUOTA_RULE_COLUMNS, readQuotaRulesFile } from '../../../src/domain/talks/quotaRulesFile';
import { importRosterFile } from '../../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../../src/roster/sampleRoster';
import { openDatabase } from '../../../src/storage/dataSource';
import { testCipher } from '../../support/fieldKeys';
import { databaseBackends, testClock } from '../../support/backends';
import { runScript, sharedDatabase } from '../../support/cli';
import { refusal, scratchFolder, tablesOf } from '../../support/importFiles';
import { openSampleZone, type SampleZone } from '../../support/sampleZone';

type Row = Record<string, string | number>;
/** The sample: 利港街道 once a quarter, 经济发展局 once each half-year. */
const SAMPLE_PATH = join(__dirname, '../../../src/domain/talks/sampleQuotaRules.yaml');
describe.each(databaseBackends)('谈心谈话 frequencies from a file on $name', (backend) => {
  let zone: SampleZone;
  let files: ReturnType<typeof scratchFolder>;
  beforeEach(async () => {
    zone = await openSampleZone(backend);
    files = scratchFolder('quota-rules-');
  });
  afterEach(async () => {
    await zone.dispose();
    files.remove();
  });

  const importFile = async (path: string) => {
    const file = await readQuotaRulesFile(path);
    return zone.services.quotaRules.apply(planQuotaRules(file.rules, await zone.roster.units()), { actor: null, channel: 'import', source: file.source });
  };
  const yamlFile = (name: string, rows: Row[]) => files.yaml(name, 'rules', rows);
  const tables = () => tablesOf(zone.db, ['talk_quota_rules', 'audit_log']);
  const obligation = async (talker: string, talkee: string) =>
    (await zone.services.quotas.compute(2026, '2026-11-27')).obligations.find((o) => o.talkerId === zone.id(talker) && o.talkeeId === zone.id(talkee))!;

  it('sets each unit’s rule, audited, and the quotas of the unit and the units below it follow', async () => {
    const report = await importFile(SAMPLE_PATH);

    expect(formatQuotaRulesReport(report)).toBe(
      ['谈话频次：修改 2 个单位，未变 0 个', '  利港街道（ZJ01）：每年至少 1 次（未另行规定） → 每季度至少 1 次', '  经济发展局（JG03）：每年至少 1 次（未另行规定） → 每半年至少 1 次'].join('\n'),
    );
    // 利港街道's head owes its 党政办 head a talk each quarter; its 城建科's supervisor too (a unit below).
    expect((await obligation('P021', 'P022')).slots.map((s) => s.from)).toEqual(['2026-01-01', '2026-04-01', '2026-07-01', '2026-10-01']);
    expect((await obligation('P022', 'P027')).period).toBe('quarter');
    expect((await obligation('P012', 'P013')).slots.map((s) => [s.from, s.to])).toEqual([['2026-01-01', '2026-06-30'], ['2026-07-01', '2026-12-31']]);
    expect((await obligation('P018', 'P019')).period).toBe('year');
    const audit = await zone.db.query(`SELECT actor_id, channel, action, subject, detail FROM audit_log WHERE action LIKE 'talk-quota-rule.%' ORDER BY id`);
    expect(audit.map((a: { detail: string }) => ({ ...a, detail: JSON.parse(a.detail) }))).toEqual([
      { actor_id: null, channel: 'import', action: 'talk-quota-rule.set', subject: `unit:${(await zone.roster.personByCode('P021'))!.unitId}`,
        detail: { unit: 'ZJ01', before: null, after: { period: 'quarter', times: 1 }, source: 'sampleQuotaRules.yaml' } },
      { actor_id: null, channel: 'import', action: 'talk-quota-rule.set', subject: expect.stringMatching(/^unit:\d+$/),
        detail: { unit: 'JG03', before: null, after: { period: 'half', times: 1 }, source: 'sampleQuotaRules.yaml' } },
    ]);
  });

  it('importing the same file again changes nothing; an Excel sheet changes one rule and removes another with 取消', async () => {
    await importFile(SAMPLE_PATH);
    const before = await tables();
    expect(formatQuotaRulesReport(await importFile(SAMPLE_PATH))).toBe('谈话频次：修改 0 个单位，未变 2 个');
    expect(await tables()).toBe(before);

    const xlsx = join(files.dir, 'rules.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('谈话频次');
    sheet.addRow(Object.values(QUOTA_RULE_COLUMNS));
    sheet.addRow(['ZJ01', '利港街道', '季度', 2]);
    sheet.addRow(['JG03', null, '取消', null]);
    await workbook.xlsx.writeFile(xlsx);

    expect(formatQuotaRulesReport(await importFile(xlsx))).toBe(
      ['谈话频次：修改 2 个单位，未变 0 个', '  利港街道（ZJ01）：每季度至少 1 次 → 每季度至少 2 次', '  经济发展局（JG03）：每半年至少 1 次 → 每年至少 1 次（未另行规定）'].join('\n'),
    );
    expect((await obligation('P021', 'P022')).slots[0].required).toBe(2);
    expect((await obligation('P012', 'P013')).period).toBe('year');
    const [removed] = await zone.db.query(`SELECT detail FROM audit_log WHERE action = 'talk-quota-rule.removed'`);
    expect(JSON.parse(removed.detail)).toEqual({ unit: 'JG03', before: { period: 'half', times: 1 }, after: null, source: 'rules.xlsx' });
  });

  it('a file with bad rows is refused with each row’s problem, and the rules and the audit log stay as they were', async () => {
    await importFile(SAMPLE_PATH);
    const before = await tables();
    const rows: Row[] = [
      { 单位编码: 'ZJ02', 单位名称: '申港街道', 周期: '每季度', 次数: 1 },
      { 单位编码: 'XX99', 周期: '每季度', 次数: 1 },
      { 单位编码: 'ZJ01', 单位名称: '申港街道', 周期: '每季度', 次数: 1 },
      { 单位编码: 'JG04', 周期: '每周', 次数: 1 },
      { 单位编码: 'JG04', 周期: '每年', 次数: '两次' },
      { 单位编码: 'JG04', 周期: '每年', 次数: 0 },
      { 单位编码: 'JG04', 周期: '取消', 次数: 1 },
      { 单位编码: 'JG04', 周期: '每年' },
      { 单位编码: 'JG02', 周期: '每月', 次数: 3 },
      { 单位编码: 'ZJ02', 周期: '每年', 次数: 2 },
      { 周期: '每年', 次数: 2 },
    ];

    const error = await refusal(importFile(yamlFile('bad.yaml', rows)));

    expect(error.problems).toEqual([
      { row: 'rules 第2条', reason: '单位编码“XX99”不存在' },
      { row: 'rules 第3条', reason: '单位编码 ZJ01 是“利港街道”，不是“申港街道”' },
      { row: 'rules 第4条', reason: '周期“每周”应为：每月、每季度、每半年、每年，或“取消”' },
      { row: 'rules 第5条', reason: '次数“两次”应是 1 以上的整数' },
      { row: 'rules 第6条', reason: '次数应是 1 以上的整数' },
      { row: 'rules 第7条', reason: '“取消”的行不填“次数”' },
      { row: 'rules 第8条', reason: '“次数”不能为空' },
      { row: 'rules 第9条', reason: '每月至少 3 次即每年 36 次，多于每月 1 次，请核对' },
      { row: 'rules 第10条', reason: '申港街道（ZJ02）重复（rules 第1条已有）' },
      { row: 'rules 第11条', reason: '“单位编码”不能为空' },
    ]);
    expect(error.message).toMatch(/^谈话频次表有 10 处问题，未导入任何数据：/);
    expect(await tables()).toBe(before);
    expect((await refusal(importFile(yamlFile('empty.yaml', [])))).problems).toEqual([{ row: 'rules', reason: '没有任何单位' }]);
  });

  it('refuses a chat actor outside 党群工作部 in the domain too, and writes the refusal down', async () => {
    const before = JSON.stringify(await zone.db.query('SELECT * FROM talk_quota_rules'));
    const liu = await zone.person('P012');
    const attempt = zone.services.quotaRules.apply([{ unitId: liu.unitId, rule: { period: 'month', times: 1 }, row: '聊天' }], { actor: liu, channel: 'test', source: '聊天' });
    await expect(attempt).rejects.toMatchObject({ name: 'NotAllowedError', message: '谈心谈话频次由党群工作部设置。' });
    expect(JSON.stringify(await zone.db.query('SELECT * FROM talk_quota_rules'))).toBe(before);
    const [row] = await zone.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'talk-quota-rule.refused' AND actor_id = ?`, [liu.id]);
    expect(Number(row.n)).toBe(1);
  });
});

describe.each(databaseBackends)('npm run quotas:import on $name', (backend) => {
  it('imports the sample as its own process, then refuses a bad file with exit code 1 and nothing written', async () => {
    const shared = await sharedDatabase(backend);
    const db = await openDatabase(shared.config, true, testCipher);
    const files = scratchFolder('quota-cli-');
    try {
      await importRosterFile(db, SAMPLE_ROSTER_PATH, testClock());
      const ok = await runScript('src/domain/talks/quotaRulesImportCli.ts', [SAMPLE_PATH], shared.url);
      expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining('谈话频次：修改 2 个单位，未变 0 个') });
      const lines = await db.query(`SELECT actor_id, channel, detail FROM audit_log WHERE action = 'talk-quota-rule.set'`);
      expect(lines.map((l: { detail: string }) => JSON.parse(l.detail).source)).toEqual([expect.stringMatching(/^sampleQuotaRules\.yaml，服务器用户 /), expect.any(String)]);
      const before = JSON.stringify(await db.query('SELECT unit_id, period, times FROM talk_quota_rules ORDER BY id'));
      const badFile = files.yaml('bad.yaml', 'rules', [{ 单位编码: 'ZJ01', 周期: '每天', 次数: 1 }]);
      const bad = await runScript('src/domain/talks/quotaRulesImportCli.ts', [badFile], shared.url);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('谈话频次表有 1 处问题，未导入任何数据：\n  rules 第1条：周期“每天”应为');
      expect(JSON.stringify(await db.query('SELECT unit_id, period, times FROM talk_quota_rules ORDER BY id'))).toBe(before);
    } finally {
      await db.destroy();
      await shared.drop();
      files.remove();
    }
  });
});
