import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/domain/audit';
import { formatLedgerReport, importLedger, importLedgerFile, LedgerImportError } from '../../../src/domain/assessment/importLedger';
import { parseLedgerYaml, readLedgerFile } from '../../../src/domain/assessment/ledgerFile';
import { SAMPLE_LEDGER } from '../../../src/domain/assessment/sampleLedger';
import { databaseBackends } from '../../support/backends';
import { writeLedgerXlsx } from '../../support/ledgerFiles';
import { openSampleZone, type SampleZone } from '../../support/sampleZone';

describe.each(databaseBackends)('the 考核 ledger import on $name', (backend) => {
  let zone: SampleZone;
  const deps = () => ({ clock: zone.clock, audit: new AuditLog(zone.clock) });
  const snapshot = async () => ({
    people: await zone.db.query('SELECT * FROM assessment_people ORDER BY id'),
    units: await zone.db.query('SELECT * FROM assessment_units ORDER BY id'),
    lines: await zone.db.query('SELECT * FROM assessment_lines ORDER BY id'),
    triggers: await zone.db.query('SELECT * FROM adjustment_triggers ORDER BY id'),
    jobs: await zone.db.query('SELECT * FROM scheduled_jobs ORDER BY id'),
  });

  beforeEach(async () => {
    zone = await openSampleZone(backend);
  });
  afterEach(async () => zone.dispose());

  it('when the offices import the shipped sample for three years, then every row is in and the Excel and YAML of 2026 agree', async () => {
    for (const { year, path } of SAMPLE_LEDGER) await importLedgerFile(zone.db, year, path, deps());
    const counts = await zone.db.query('SELECT year, COUNT(*) AS n FROM assessment_people GROUP BY year ORDER BY year');
    expect(counts.map((r: { year: number; n: number }) => [Number(r.year), Number(r.n)])).toEqual([[2024, 15], [2025, 15], [2026, 15]]);
    const xlsx = await readLedgerFile(SAMPLE_LEDGER[2].path);
    const yaml = await readLedgerFile(SAMPLE_LEDGER[2].path.replace('.xlsx', '.yaml'));
    const strip = (rows: { row: string }[]) => rows.map(({ row: _row, ...cells }) => cells);
    expect(strip(xlsx.people)).toEqual(strip(yaml.people));
    expect(strip(xlsx.units)).toEqual(strip(yaml.units));
    expect(strip(xlsx.lines)).toEqual(strip(yaml.lines));
  });

  it('when a year’s sheet has bad rows, then each is listed by its Excel row number and nothing at all is written', async () => {
    await importLedgerFile(zone.db, 2025, SAMPLE_LEDGER[1].path, deps());
    const before = await snapshot();
    const path = await writeLedgerXlsx({
      people: [
        { 人员编号: 'P015', 姓名: '徐敏', 年度考核等次: '优秀' },
        { 人员编号: 'P999', 姓名: '张三', 年度考核等次: '优秀' },
        { 人员编号: 'P017', 姓名: '朱婷', 年度考核等次: '称职' },
        { 人员编号: 'P026', 姓名: '唐伟', 年度考核等次: '良好' },
        { 人员编号: 'P027', 姓名: '韩雪', 年度考核等次: '合格', 民主测评不称职得票: '40/30' },
        { 人员编号: 'P020', 姓名: '高翔', 年度考核等次: '合格', 不同意转正得票: '三分之一' },
        { 人员编号: 'P015', 姓名: '徐敏', 年度考核等次: '优秀' },
        { 人员编号: 'P014', 姓名: '杨帆' },
        { 人员编号: 'P016', 姓名: '马骏', 年度考核等次: '称职', 国资公司聘任期满考核: '不合格' },
        { 人员编号: 'P012', 姓名: '刘阳', 年度考核等次: '称职' },
      ],
      units: [
        { 单位编码: 'JG03', 单位名称: '经济发展局', 一体化考核类别: '经济服务部门', 一体化考核排名: 1 },
        { 单位编码: 'JG04', 单位名称: '规划建设局', 一体化考核类别: '经济服务部门', 一体化考核排名: 1 },
        { 单位编码: 'ZJ01', 单位名称: '利港街道', 一体化考核类别: '街道', 一体化考核排名: 1 },
        { 单位编码: 'JG01', 单位名称: '党群工作部', 镇街考核排名: 1 },
      ],
      lines: [{ 条线: '安全生产', 单位编码: 'ZJ01', 单位名称: '利港街道', 排名: '第一' }],
    });
    const error = await importLedgerFile(zone.db, 2026, path, deps()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerImportError);
    expect((error as LedgerImportError).problems).toEqual([
      { row: '人员 第3行', reason: '人员编码“P999”不在名册中' },
      { row: '人员 第4行', reason: '朱婷的性质为“事业”，等次应为：优秀、合格、基本合格、不合格，不是“称职”' },
      { row: '人员 第5行', reason: '等次“良好”不存在，应为：优秀、称职、基本称职、不称职、合格、基本合格、不合格' },
      { row: '人员 第6行', reason: '“民主测评不称职得票”40/30：票数 40 多于总票数 30' },
      { row: '人员 第7行', reason: '“不同意转正得票”三分之一：应写成“票数/总票数”（如 12/35）或百分比（如 34%）' },
      { row: '人员 第8行', reason: '人员编号“P015”重复（人员 第2行已有）' },
      { row: '人员 第9行', reason: '没有任何考核结果' },
      { row: '人员 第10行', reason: '马骏不在国资公司，不应有“国资公司聘任期满考核”' },
      { row: '人员 第11行', reason: '名称“刘阳”与名册中 P012 的“刘洋”不一致' },
      { row: '单位 第3行', reason: '经济服务部门第 1 名重复（单位 第2行已有）' },
      { row: '单位 第4行', reason: '考核类别“街道”不存在，应为：镇街园、特色园区、综合保障部门、经济服务部门' },
      { row: '单位 第5行', reason: '党群工作部不是村（社区），不应有“镇街考核排名”' },
      { row: '条线 第2行', reason: '“排名”“第一”不是名次（应为 1、2、3……）' },
    ]);
    expect((error as Error).message).toMatch(/^考核结果表有 13 处问题，未导入任何数据：\n {2}人员 第3行：/);
    expect(await snapshot()).toEqual(before);
  });

  it('when a file is not a ledger at all, then it says so and changes nothing', async () => {
    const before = await snapshot();
    expect(() => parseLedgerYaml('人员: [1, 2]\n单位: 不是列表')).toThrow(/人员 第1条：应是“列名: 值”形式的一条记录[\s\S]*缺少“单位”列表/);
    expect(() => parseLedgerYaml(': : :')).toThrow(LedgerImportError);
    const noSheets = await writeLedgerXlsx({ lines: [] });
    await expect(importLedgerFile(zone.db, 2026, noSheets, deps())).rejects.toThrow(/缺少名为“人员”的工作表[\s\S]*缺少名为“单位”的工作表/);
    await expect(importLedger(zone.db, 1899, { people: [], units: [], lines: [] }, deps())).rejects.toThrow(/“1899”不是有效的考核年度/);
    expect(await snapshot()).toEqual(before);
  });

  it('when a year is imported again with corrections, then rows are updated in place and the report names what changed', async () => {
    await importLedgerFile(zone.db, 2026, SAMPLE_LEDGER[2].path, deps());
    const ids = await zone.db.query('SELECT id FROM assessment_people WHERE year = 2026 ORDER BY id');
    const file = await readLedgerFile(SAMPLE_LEDGER[2].path);
    const people = file.people.map((r) => (r.code === 'P027' ? { ...r, incompetentShare: '30%' } : r.code === 'P014' ? { ...r, grade: '优秀' } : r));
    const report = await importLedger(zone.db, 2026, { ...file, people }, deps());
    expect(report.people).toEqual({
      added: [],
      updated: [
        { code: 'P014', name: '杨帆', fields: ['年度考核等次'] },
        { code: 'P027', name: '韩雪', fields: ['民主测评不称职得票'] },
      ],
      unchanged: 13,
    });
    expect(report.units).toMatchObject({ added: [], updated: [], unchanged: 8 });
    expect(await zone.db.query('SELECT id FROM assessment_people WHERE year = 2026 ORDER BY id')).toEqual(ids);
    // 韩雪's 34% was a 第八条（三） trigger; at 30% it no longer holds.
    expect(report.triggers.lapsed).toBe(1);
    const text = formatLedgerReport(report);
    expect(text).toContain('人员：新增 0，更新 2，未变 13');
    expect(text).toContain('  更新 P027 韩雪：民主测评不称职得票');
    expect(text).toContain('1 条因数据更正不再成立');
  });
});
