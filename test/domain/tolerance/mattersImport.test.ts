import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatMattersReport, importMattersFile, MATTER_COLUMNS } from '../../../src/domain/tolerance/mattersImport';
import { databaseBackends, stateBackends } from '../../support/backends';
import { openChat, type Chat } from '../../support/chat';
import { refusal, scratchFolder, tablesOf } from '../../support/importFiles';

type Row = Record<string, string>;

const SAMPLE_MATTERS_PATH = join(__dirname, '../../../src/domain/tolerance/sampleMatters.yaml');
/** A fresh, editable copy of the sample: two matters, one about 杨帆 (P014), one about 经济发展局 (JG03). */
const sample = (): Row[] => (parse(readFileSync(SAMPLE_MATTERS_PATH, 'utf8')) as { matters: Row[] }).matters;

describe('importing 问责事项 from a file', () => {
  let chat: Chat;
  let files: ReturnType<typeof scratchFolder>;

  beforeEach(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    files = scratchFolder('matters-');
  });
  afterEach(async () => {
    await chat.close();
    files.remove();
  });

  const importFile = (path: string) => importMattersFile(chat.db, path, chat.clock, { matters: chat.bot.services.matters });
  const yamlFile = (name: string, rows: Row[]) => files.yaml(name, 'matters', rows);
  /** What an import may write: the matters, their audit entries and the notices to their subjects. */
  const tables = () => tablesOf(chat.db, ['accountability_matters', 'audit_log', 'outbox']);
  const transcriptText = (code: string) => chat.as(code).transcript().map((m) => m.text ?? m.markdown ?? '').join('\n');

  it('a YAML file records each matter, numbered, and its subject is told they may apply for 容错', async () => {
    const report = await importFile(SAMPLE_MATTERS_PATH);

    expect(report).toEqual({
      added: [
        { row: 'matters 第1条', number: 'WZ2026-0001', subject: '杨帆（P014）', summary: '综合科办公用房调整中未按程序报批，擅自改变用途', told: '杨帆' },
        { row: 'matters 第2条', number: 'WZ2026-0002', subject: '经济发展局（JG03）', summary: '经济发展局滨江项目专项资金拨付进度滞后，影响项目推进', told: '刘洋' },
      ],
      unchanged: 0,
    });
    expect(formatMattersReport(report)).toBe(
      [
        '问责事项：新增 2，未变 0',
        '  新增 WZ2026-0001 杨帆（P014）：综合科办公用房调整中未按程序报批，擅自改变用途（已告知杨帆可申请容错）',
        '  新增 WZ2026-0002 经济发展局（JG03）：经济发展局滨江项目专项资金拨付进度滞后，影响项目推进（已告知刘洋可申请容错）',
      ].join('\n'),
    );
    const matters = chat.bot.services.matters;
    expect(await matters.openFor((await chat.bot.roster.personByCode('P014'))!.id, -1)).toMatchObject([
      { number: 'WZ2026-0001', openedOn: '2026-03-16', openedBy: (await chat.bot.roster.personByCode('P009'))!.id, status: 'open' },
    ]);

    await chat.bot.outbox.dispatchDue();
    expect(transcriptText('P014')).toContain('吴海燕登记了问责事项 WZ2026-0001：综合科办公用房调整中未按程序报批，擅自改变用途。');
    expect(transcriptText('P014')).toContain('您可以发送“申请容错”提出容错免责申请');
    // A unit's matter goes to its party head: 经济发展局's 刘洋.
    expect(transcriptText('P012')).toContain('冯磊登记了问责事项 WZ2026-0002');
  });

  it('importing the same file again records nothing new, tells nobody again and reports the rows as unchanged', async () => {
    await importFile(SAMPLE_MATTERS_PATH);
    const before = await tables();

    const again = await importFile(SAMPLE_MATTERS_PATH);

    expect(again).toEqual({ added: [], unchanged: 2 });
    expect(formatMattersReport(again)).toBe('问责事项：新增 0，未变 2');
    expect(await tables()).toBe(before);
  });

  it('rows without 外部编号 are known by their content, so they too are imported once', async () => {
    const rows = sample().map((r) => ({ ...r, 外部编号: '' }));
    const path = yamlFile('no-ids.yaml', rows);
    expect((await importFile(path)).added).toHaveLength(2);
    const before = await tables();

    expect(await importFile(path)).toEqual({ added: [], unchanged: 2 });
    expect(await tables()).toBe(before);
  });

  it('an Excel file with dates as date cells imports as the same file in YAML', async () => {
    const xlsx = join(files.dir, 'matters.xlsx');
    await writeWorkbook(xlsx, '问责事项', sample());

    const report = await importFile(xlsx);
    expect(report.added.map((m) => [m.row, m.number, m.subject])).toEqual([
      ['问责事项 第2行', 'WZ2026-0001', '杨帆（P014）'],
      ['问责事项 第3行', 'WZ2026-0002', '经济发展局（JG03）'],
    ]);
    // Same 外部编号 and same content: the YAML says nothing new.
    expect(await importFile(SAMPLE_MATTERS_PATH)).toEqual({ added: [], unchanged: 2 });

    const bad = join(files.dir, 'bad.xlsx');
    await writeWorkbook(bad, 'matters', [{ ...sample()[0], 外部编号: 'JGW-2026-009', 登记人编号: 'P014' }]);
    const error = await refusal(importFile(bad));
    expect(error.problems).toEqual([{ row: 'matters 第2行', reason: expect.stringContaining('登记人 P014 杨帆 不是纪（工）委成员') }]);
  });

  it('a file with bad rows is refused with each row’s problem, and nothing is written or sent', async () => {
    const [person, unit] = sample();
    const rows: Row[] = [
      { ...person, 外部编号: 'A1' },
      { ...person, 外部编号: 'A2', 被问责人编号: 'P999' },
      { ...person, 外部编号: 'A3', 被问责单位编码: 'JG03' },
      { ...unit, 外部编号: 'A4', 被问责单位编码: '' },
      { ...person, 外部编号: 'A5', 启动日期: '2026-12-01' },
      { ...unit, 外部编号: 'A6', 登记人编号: 'P014' },
      { ...unit, 外部编号: 'A7', 启动日期: '2026-02-30' },
      { ...unit, 外部编号: 'A1' },
    ];
    const before = await tables();

    const error = await refusal(importFile(yamlFile('bad.yaml', rows)));

    expect(error.problems).toEqual([
      { row: 'matters 第2条', reason: '被问责人编号“P999”不存在（或已离开）' },
      { row: 'matters 第3条', reason: '“被问责人编号”和“被问责单位编码”只能填一个' },
      { row: 'matters 第4条', reason: '应填写“被问责人编号”或“被问责单位编码”（二者填一）' },
      { row: 'matters 第5条', reason: '启动日期 2026-12-01 晚于今天（2026-11-27），不能是将来的日期' },
      { row: 'matters 第6条', reason: '登记人 P014 杨帆 不是纪（工）委成员，不能登记问责事项（《容错细则》第六条（一）1）' },
      { row: 'matters 第7条', reason: '启动日期“2026-02-30”不是有效日期（应写作 YYYY-MM-DD，如 2026-03-05）' },
      { row: 'matters 第8条', reason: '外部编号“A1”重复（matters 第1条已有）' },
    ]);
    expect(error.message).toMatch(/^问责事项表有 7 处问题，未导入任何数据：\n {2}matters 第2条：被问责人编号“P999”不存在/);
    expect(await tables()).toBe(before);
  });

  it('a re-import that changes an imported matter is refused rather than reported as unchanged', async () => {
    await importFile(SAMPLE_MATTERS_PATH);
    const rows = sample();
    rows[1][MATTER_COLUMNS.summary] = '经济发展局专项资金拨付滞后';

    const error = await refusal(importFile(yamlFile('edited.yaml', rows)));

    expect(error.problems).toEqual([{ row: 'matters 第2条', reason: expect.stringContaining('外部编号“JGW-2026-002”已导入为 WZ2026-0002，但本行内容与之不同') }]);
  });

  it('after the import, the subject’s 申请容错 dialogue offers the imported matter', async () => {
    await importFile(SAMPLE_MATTERS_PATH);
    const yang = chat.as('P014');

    await yang.says('申请容错');
    const question = await yang.taps('否');

    expect(question.text).toContain('这次申请针对哪一项问责事项？');
    expect(question.text).toContain('WZ2026-0001 综合科办公用房调整中未按程序报批，擅自改变用途（2026-03-16 启动）');
  });
});

/** Lays the matters out as the 纪工委 keeps them in Excel, 启动日期 as real date cells. */
async function writeWorkbook(path: string, sheetName: string, rows: Row[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  const headers = Object.values(MATTER_COLUMNS);
  sheet.addRow(headers);
  for (const row of rows) {
    sheet.addRow(headers.map((h) => (h === MATTER_COLUMNS.openedOn ? new Date(`${row[h]}T00:00:00Z`) : row[h] || null)));
  }
  await workbook.xlsx.writeFile(path);
}
