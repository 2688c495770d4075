import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../src/clock';
import { assessmentImportMain } from '../../../src/domain/assessment/importCli';
import { SAMPLE_LEDGER } from '../../../src/domain/assessment/sampleLedger';
import { importRosterFile } from '../../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../../src/roster/sampleRoster';
import { openDatabase } from '../../../src/storage/dataSource';
import { testCipher } from '../../support/fieldKeys';

/** `npm run assessment:import -- 2026 FILE` as an operator runs it on the server, on an SQLite file. */
describe('the assessment:import command', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  const saved = process.env.DATABASE_URL;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dandang-cli-'));
    process.env.DATABASE_URL = `sqlite:${join(dir, 'db.sqlite')}`;
    out = [];
    err = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void out.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void err.push(line));
    const db = await openDatabase({ kind: 'sqlite', path: join(dir, 'db.sqlite') }, true, testCipher);
    await importRosterFile(db, SAMPLE_ROSTER_PATH, systemClock);
    await db.destroy();
  });
  afterEach(() => {
    vi.restoreAllMocks();
    process.env.DATABASE_URL = saved;
  });

  it('imports a year and prints what it did; run again, it finds nothing new', async () => {
    expect(await assessmentImportMain(['2026', SAMPLE_LEDGER[2].path])).toBe(0);
    expect(out.join('\n')).toMatch(/^2026 年度考核结果已导入。\n人员：新增 15，更新 0，未变 0/);
    expect(out.join('\n')).toContain('《能上能下办法》第八条预警：新发现 3 条，已通知组织人事部门。');
    out = [];
    expect(await assessmentImportMain(['2026', SAMPLE_LEDGER[2].path])).toBe(0);
    expect(out.join('\n')).toContain('人员：新增 0，更新 0，未变 15');
    expect(out.join('\n')).toContain('新发现 0 条');
  });

  it('exits 2 when misused and 1 when the file is wrong, saying why', async () => {
    expect(await assessmentImportMain([])).toBe(2);
    expect(await assessmentImportMain(['二〇二六', SAMPLE_LEDGER[2].path])).toBe(2);
    expect(await assessmentImportMain(['2026'])).toBe(2);
    expect(await assessmentImportMain(['2026', join(dir, 'missing.xlsx')])).toBe(2);
    expect(err.join('\n')).toContain('用法：npm run assessment:import -- 考核年度 考核结果表');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, '人员:\n  - { 人员编号: P015, 姓名: 徐敏, 年度考核等次: 甲等 }\n单位: []\n');
    expect(await assessmentImportMain(['2026', bad])).toBe(1);
    expect(err.at(-1)).toBe('考核结果表有 1 处问题，未导入任何数据：\n  人员 第1条：等次“甲等”不存在，应为：优秀、称职、基本称职、不称职、合格、基本合格、不合格');
  });
});
