import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CALENDAR_COLUMNS, readCalendarFile, SAMPLE_CALENDAR_PATH } from '../../src/calendar/calendarFile';
import { formatCalendarReport } from '../../src/calendar/report';
import { calendarSource, isWorkingDay } from '../../src/scheduling/workdays';
import { databaseBackends } from '../support/backends';
import { refusal, scratchFolder, tablesOf } from '../support/importFiles';
import { openSampleZone, type SampleZone } from '../support/sampleZone';

type Row = Record<string, string | number>;
/** The sample: a fictional 2027 with the usual seven holidays. */
const sample = (): Row[] => (parse(readFileSync(SAMPLE_CALENDAR_PATH, 'utf8')) as { days: Row[] }).days;

describe.each(databaseBackends)('loading a year’s holidays from a file on $name', (backend) => {
  let zone: SampleZone;
  let files: ReturnType<typeof scratchFolder>;

  beforeEach(async () => {
    zone = await openSampleZone(backend);
    files = scratchFolder('calendar-');
  });
  afterEach(async () => {
    await zone.dispose();
    files.remove();
  });

  const load = async (path: string) => {
    const file = await readCalendarFile(path);
    return zone.services.calendar.load(file.arrangements, { actor: null, channel: 'import', source: file.source });
  };
  const yamlFile = (name: string, rows: Row[]) => files.yaml(name, 'days', rows);
  /** What a load may write. */
  const tables = () => tablesOf(zone.db, ['calendar_loads', 'calendar_days', 'audit_log']);
  const audit = async () =>
    (await zone.db.query(`SELECT actor_id, channel, action, subject, detail FROM audit_log WHERE action LIKE 'calendar.%' ORDER BY id`)).map(
      (r: { detail: string }) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }),
    );

  it('a YAML file of 2027 takes the place of the package’s missing year: its holidays are days off and its 调休 weekend days are worked', async () => {
    expect(calendarSource(2027)).toBe('weekdays');
    expect([isWorkingDay('2027-02-08'), isWorkingDay('2027-02-20')]).toEqual([true, false]);

    const reports = await load(SAMPLE_CALENDAR_PATH);

    expect(formatCalendarReport(reports)).toBe('2027 年：已载入放假 29 天、调休上班 5 天，代替仅按周一至周五计算。');
    expect(calendarSource(2027)).toBe('loaded');
    // Spring Festival (5–13 February) off, Saturday 20 February and Sunday 31 January worked, the rest as weekdays go.
    expect(['2027-01-31', '2027-02-05', '2027-02-08', '2027-02-13', '2027-02-15', '2027-02-20', '2027-02-21'].map(isWorkingDay)).toEqual([
      true, false, false, false, true, true, false,
    ]);
    expect(await zone.services.calendar.describe(2027)).toBe(
      [
        `【2027 年工作日安排】来源：本系统载入（2026-11-27 通过命令行导入，sampleCalendar.yaml），代替 chinese-days 软件包`,
        '元旦：1月1日（周五）至1月3日（周日）放假，共3天。',
        '春节：2月5日（周五）至2月13日（周六）放假，共9天。1月31日（周日）、2月20日（周六）上班。',
        '清明节：4月3日（周六）至4月5日（周一）放假，共3天。',
        '劳动节：5月1日（周六）至5月5日（周三）放假，共5天。5月8日（周六）上班。',
        '端午节：6月9日（周三）放假，共1天。',
        '中秋节：9月15日（周三）放假，共1天。',
        '国庆节：10月1日（周五）至10月7日（周四）放假，共7天。9月26日（周日）、10月9日（周六）上班。',
        '其余日期周一至周五上班，周六、周日休息；全年共 248 个工作日。谈心谈话提醒、审批催办和期限都按此计算。',
      ].join('\n'),
    );
    expect(await audit()).toEqual([
      {
        actor_id: null, channel: 'import', action: 'calendar.loaded', subject: 'calendar:2027',
        detail: expect.objectContaining({ source: 'sampleCalendar.yaml', replaced: 'weekdays', removed: [], added: expect.arrayContaining(['2027-02-20 春节上班', '2027-10-07 国庆节放假']) }),
      },
    ]);
  });

  it('the same arrangement as an Excel workbook, dates as date cells, is the same load: nothing changes the second time', async () => {
    const xlsx = join(files.dir, '2027年节假日.xlsx');
    await writeWorkbook(xlsx, '节假日', sample());
    expect(formatCalendarReport(await load(xlsx))).toBe('2027 年：已载入放假 29 天、调休上班 5 天，代替仅按周一至周五计算。');
    const before = await tables();

    expect(formatCalendarReport(await load(SAMPLE_CALENDAR_PATH))).toBe('2027 年：与已载入的安排相同，未改动。');
    expect(await tables()).toBe(before);
  });

  it('a corrected file replaces the year whole, and the audit line says which days came and went', async () => {
    await load(SAMPLE_CALENDAR_PATH);
    // 端午 moved to Friday 11 June, with the weekend: a run of three days instead of one.
    const corrected = sample().map((r) => (r[CALENDAR_COLUMNS.name] === '端午节' ? { ...r, 日期: '2027-06-11', 结束日期: '2027-06-13' } : r));

    expect(formatCalendarReport(await load(yamlFile('corrected.yaml', corrected)))).toBe('2027 年：已载入放假 31 天、调休上班 5 天，代替此前载入的安排。');

    expect([isWorkingDay('2027-06-09'), isWorkingDay('2027-06-11')]).toEqual([true, false]);
    const [, second] = await audit();
    expect(second.detail).toMatchObject({
      replaced: 'loaded', source: 'corrected.yaml',
      added: ['2027-06-11 端午节放假', '2027-06-12 端午节放假', '2027-06-13 端午节放假'], removed: ['2027-06-09 端午节放假'],
    });
    expect(await zone.db.query('SELECT year, holidays, workdays FROM calendar_loads ORDER BY id')).toEqual([
      { year: 2027, holidays: 29, workdays: 5 },
      { year: 2027, holidays: 31, workdays: 5 },
    ]);
  });

  it('a year the package has can be loaded too, and then the loaded days are the ones that count', async () => {
    // A day off added to 2026 (say, a local arrangement on Monday 28 December), the rest as the State Council has it.
    const rows: Row[] = [
      { 年度: 2026, 节日: '元旦', 类型: '放假', 日期: '2026-01-01', 结束日期: '2026-01-03' },
      { 年度: 2026, 节日: '元旦', 类型: '上班', 日期: '2026-01-04' },
      { 年度: 2026, 节日: '国庆节', 类型: '放假', 日期: '2026-10-01', 结束日期: '2026-10-07' },
      { 年度: 2026, 节日: '岁末', 类型: '放假', 日期: '2026-12-28' },
    ];
    expect([isWorkingDay('2026-12-28'), isWorkingDay('2026-02-16')]).toEqual([true, false]);

    expect(formatCalendarReport(await load(yamlFile('2026.yaml', rows)))).toBe('2026 年：已载入放假 11 天、调休上班 1 天，代替chinese-days 软件包的安排。');

    // Only what the file says: the package's Spring Festival is gone with the rest of its 2026.
    expect([isWorkingDay('2026-12-28'), isWorkingDay('2026-02-16'), isWorkingDay('2026-01-04')]).toEqual([false, true, true]);
    expect((await audit())[0].detail).toMatchObject({ replaced: 'package', added: ['2026-12-28 岁末放假'], removed: expect.arrayContaining(['2026-02-16 春节放假']) });
  });

  it('a file with bad rows is refused with each row’s problem, and nothing is written or changes', async () => {
    await load(SAMPLE_CALENDAR_PATH);
    const before = await tables();
    const rows: Row[] = [
      { 年度: 2027, 节日: '元旦', 类型: '放假', 日期: '2027-01-01', 结束日期: '2027-01-03' },
      { 年度: '二〇二七', 节日: '春节', 类型: '放假', 日期: '2027-02-05' },
      { 年度: 2027, 节日: '', 类型: '放假', 日期: '2027-02-06' },
      { 年度: 2027, 节日: '春节', 类型: '补休', 日期: '2027-02-07' },
      { 年度: 2027, 节日: '春节', 类型: '放假', 日期: '2027-02-30' },
      { 年度: 2027, 节日: '春节', 类型: '上班', 日期: '2027-01-30', 结束日期: '2027-01-31' },
      { 年度: 2027, 节日: '国庆节', 类型: '放假', 日期: '2027-10-07', 结束日期: '2027-10-01' },
      { 年度: 2027, 节日: '国庆节', 类型: '放假', 日期: '2027-10-01', 结束日期: '2027-10-31' },
    ];

    const error = await refusal(load(yamlFile('bad.yaml', rows)));

    expect(error.problems).toEqual([
      { row: 'days 第2条', reason: '年度“二〇二七”应是 2000–2100 之间的年份，如 2027' },
      { row: 'days 第3条', reason: '“节日”不能为空' },
      { row: 'days 第4条', reason: '类型“补休”应为“放假”或“上班”' },
      { row: 'days 第5条', reason: '日期“2027-02-30”不是有效日期（应写作 YYYY-MM-DD，如 2027-02-05）' },
      { row: 'days 第6条', reason: '调休上班日每行一天，不填“结束日期”' },
      { row: 'days 第7条', reason: '结束日期 2027-10-01 早于日期 2027-10-07' },
      { row: 'days 第8条', reason: '2027-10-01 至 2027-10-31 共 31 天，超过 15 天，请核对日期' },
    ]);
    expect(error.message).toMatch(/^节假日安排有 7 处问题，未导入任何数据：\n {2}days 第2条：/);

    // Rows that are each fine but do not fit together, or with the year: refused as a whole too.
    const clash = await refusal(
      load(yamlFile('clash.yaml', [
        ...sample(),
        { 年度: 2027, 节日: '春节', 类型: '上班', 日期: '2027-02-08' },
        { 年度: 2027, 节日: '国庆节', 类型: '上班', 日期: '2027-10-07' },
        { 年度: 2027, 节日: '元旦', 类型: '放假', 日期: '2028-01-01' },
      ])),
    );
    expect(clash.problems).toEqual([
      { row: 'days 第13条', reason: '2月8日（周一）本来就是工作日，调休上班只能是周六或周日' },
      { row: 'days 第13条', reason: '2027-02-08 重复（days 第2条已有：春节放假）' },
      { row: 'days 第14条', reason: '10月7日（周四）本来就是工作日，调休上班只能是周六或周日' },
      { row: 'days 第14条', reason: '2027-10-07 重复（days 第10条已有：国庆节放假）' },
      { row: 'days 第15条', reason: '2028-01-01 不属于 2027 年的安排（只有元旦的放假或调休可以在上一年 12 月）' },
    ]);
    expect(await tables()).toBe(before);
    expect([isWorkingDay('2027-02-08'), isWorkingDay('2027-02-20')]).toEqual([false, true]);
  });

  it('a date already in another loaded year’s arrangement is refused: a day belongs to one year', async () => {
    await load(yamlFile('2026.yaml', [{ 年度: 2026, 节日: '岁末', 类型: '放假', 日期: '2026-12-26', 结束日期: '2026-12-27' }]));
    const before = await tables();
    const error = await refusal(load(yamlFile('2027.yaml', [...sample(), { 年度: 2027, 节日: '元旦', 类型: '上班', 日期: '2026-12-26' }])));
    expect(error.problems).toEqual([{ row: 'days 第13条', reason: '2026-12-26 已属于已载入的 2026 年安排' }]);
    expect(await tables()).toBe(before);
  });

  it('files that are not a calendar at all are refused with what is missing', async () => {
    const missing = async (path: string) => (await refusal(readCalendarFile(path))).problems;
    writeFileSync(join(files.dir, 'roster.yaml'), stringify({ people: [{ 姓名: '张三' }] }));
    expect(await missing(join(files.dir, 'roster.yaml'))).toEqual([{ row: 'days', reason: '缺少“days”列表' }]);
    writeFileSync(join(files.dir, 'broken.yaml'), 'days: [ { 年度: 2027');
    expect((await missing(join(files.dir, 'broken.yaml')))[0]).toMatchObject({ row: 'YAML', reason: expect.stringContaining('无法解析') });
    expect(await missing(yamlFile('empty.yaml', []))).toEqual([{ row: 'days', reason: '没有任何日期' }]);
    const noDate = join(files.dir, 'no-date.xlsx');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('days').addRow(['年度', '节日', '类型']);
    await workbook.xlsx.writeFile(noDate);
    expect(await missing(noDate)).toEqual([{ row: 'days 第1行', reason: '缺少列：“日期”' }]);
    writeFileSync(join(files.dir, 'calendar.csv'), '年度,节日');
    expect(await missing(join(files.dir, 'calendar.csv'))).toEqual([{ row: join(files.dir, 'calendar.csv'), reason: '只支持 .xlsx、.yaml、.yml 格式的节假日安排' }]);
  });
});

/** Lays the arrangement out as a spreadsheet would have it: years as numbers, dates as date cells. */
async function writeWorkbook(path: string, sheetName: string, rows: Row[]): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  const headers = Object.values(CALENDAR_COLUMNS);
  sheet.addRow(headers);
  for (const row of rows) {
    sheet.addRow(
      headers.map((h) => {
        const value = row[h];
        if (value === undefined || value === '') return null;
        return h === CALENDAR_COLUMNS.date || h === CALENDAR_COLUMNS.until ? new Date(`${value}T00:00:00Z`) : value;
      }),
    );
  }
  await workbook.xlsx.writeFile(path);
}
