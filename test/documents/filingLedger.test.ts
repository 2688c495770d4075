import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILING_LEDGER_COLUMNS, filingStatistics, ledgerFilings, ledgerStatistics, ledgerXlsx } from '../../src/documents/ledger';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat, type Chatter } from '../support/chat';
import { completeTask, decide, FILING, fileRisk, findFiling, jointReview } from './fixtures';

/**
 * Two filings of 综合科 on 2026-11-27: one agreed (集体会审 by 钱志刚, 报备 done, later a result
 * report and a 绩效评价), one the 分管领导 does not agree with. The workbook's 改革创新风险备案 sheet
 * and the 统计 sheet's filings section, as of a date inside the 实施期限 and one after it.
 */
describe('台账: 改革创新风险备案', () => {
  let chat: Chat;
  let granted: string;
  let rejected: string;
  let yangFan: Chatter;
  let chenJianguo: Chatter;
  const inPeriod = new Date('2026-12-15T02:00:00.000Z');
  const unitId = async (code: string) => Number(((await chat.db.query('SELECT id FROM units WHERE code = ?', [code])) as { id: number }[])[0].id);

  async function workbook(asOf: Date): Promise<ExcelJS.Workbook> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await ledgerXlsx(chat.db, {}, { asOf })) as unknown as ArrayBuffer);
    return wb;
  }

  function filingRows(wb: ExcelJS.Workbook): Record<string, unknown>[] {
    const sheet = wb.getWorksheet('改革创新风险备案')!;
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual([...FILING_LEDGER_COLUMNS]);
    const rows = [];
    for (let r = 3; r <= sheet.rowCount; r++) rows.push(Object.fromEntries(FILING_LEDGER_COLUMNS.map((name, i) => [name, sheet.getRow(r).getCell(i + 1).value])));
    return rows;
  }

  /** The number on 统计 for this label within the section starting with `section`. */
  function count(wb: ExcelJS.Workbook, section: string, label: string): unknown {
    const stats = wb.getWorksheet('统计')!;
    let seen = false;
    for (let r = 1; r <= stats.rowCount; r++) {
      const cell = String(stats.getRow(r).getCell(1).value ?? '');
      if (!seen && cell.startsWith(section)) seen = true;
      else if (seen && cell === label) return stats.getRow(r).getCell(2).value;
    }
    throw new Error(`no “${label}” row in section ${section} of 统计`);
  }

  beforeAll(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    const [liuYang, liMinghua, wuHaiyan] = ['P012', 'P002', 'P009'].map((code) => chat.as(code));
    [yangFan, chenJianguo] = ['P014', 'P001'].map((code) => chat.as(code));

    granted = await fileRisk(yangFan);
    await decide(liuYang, '同意', '同意备案。');
    await decide(liMinghua, '同意', '同意。');
    await jointReview(wuHaiyan, [{ who: chat.as('P007'), name: '钱志刚', stance: '同意', opinion: '无意见。' }], '经集体会审，同意备案。');
    await findFiling(wuHaiyan, '同意备案', '予以备案。');
    await decide(chenJianguo, '同意', '同意备案。');
    await completeTask(wuHaiyan, granted, '将备案材料报备市纪委监委', '已报备。');

    rejected = await fileRisk(yangFan, { title: '招商引资“先建后验”试点' });
    await decide(liuYang, '同意', '同意。');
    await decide(liMinghua, '不同意', '方案不成熟，暂缓。');
    await jointReview(wuHaiyan, [{ who: chat.as('P007'), name: '钱志刚', stance: '不同意', opinion: '方案不成熟。' }], '会审不同意。');
    await findFiling(wuHaiyan, '不予备案', '方案不成熟，不予备案。');
    await decide(chenJianguo, '同意', '同意纪工委意见。');
  }, 90_000);
  afterAll(async () => chat?.close());

  it('counts the filings by status, and those in force on the day asked about', async () => {
    expect(await filingStatistics(chat.db, {}, { asOf: inPeriod })).toEqual({
      total: 2,
      byStatus: { in_review: 0, returned: 0, blocked: 0, withdrawn: 0, granted: 1, rejected: 1, revoked: 0 },
      inForce: 1,
      reported: 1,
      resultReported: 0,
      evaluated: 0,
    });
    expect((await filingStatistics(chat.db, {}, { asOf: new Date('2026-11-28T02:00:00.000Z') })).inForce).toBe(0);
    // The 容错免责 statistics are not changed by filings.
    expect((await ledgerStatistics(chat.db)).total).toBe(0);
  });

  it('filters filings on the filing date, the unit with its sub-units and the status', async () => {
    const numbersOf = async (filter: Parameters<typeof ledgerFilings>[1]) => (await ledgerFilings(chat.db, filter)).map((f) => f.caseNumber);
    expect(await numbersOf({})).toEqual([granted, rejected]);
    expect(await numbersOf({ from: '2026-11-27', to: '2026-11-27' })).toEqual([granted, rejected]);
    expect(await numbersOf({ from: '2027-01-01' })).toEqual([]);
    expect(await numbersOf({ unitId: await unitId('JG03') })).toEqual([granted, rejected]);
    expect(await numbersOf({ unitId: await unitId('ZJ01') })).toEqual([]);
    expect(await numbersOf({ status: 'rejected' })).toEqual([rejected]);
    // 容错情形 is a 容错免责 filter: it does not narrow the filings.
    expect(await numbersOf({ situation: 2 })).toEqual([granted, rejected]);
  });

  it('lists the filings on their own sheet and counts them on 统计', async () => {
    const wb = await workbook(inPeriod);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['台账', '改革创新风险备案', '容错免责干部', '澄清正名', '统计']);
    expect(String(wb.getWorksheet('改革创新风险备案')!.getCell(1, 1).value)).toContain('是否在备案期内截至2026-12-15');

    const [agreed, refused] = filingRows(wb);
    expect(agreed).toEqual({
      编号: granted,
      备案单位: '经济发展局综合科',
      经办人: '杨帆',
      备案时间: new Date('2026-11-27T00:00:00.000Z'),
      备案事项: FILING.title,
      实施期限: '2026-12-01 至 2027-06-30',
      是否在备案期内: '是',
      办理路径: '一般事项',
      当前状态: '同意备案',
      回复或答复: expect.stringMatching(/^回复 HF2026-\d{4}（2026-11-27）$/),
      报备市纪委监委日期: new Date('2026-11-27T00:00:00.000Z'),
      结果报告: '',
      绩效评价: '',
    });
    expect(refused).toMatchObject({ 编号: rejected, 备案事项: '招商引资“先建后验”试点', 是否在备案期内: '否', 当前状态: '不予备案', 报备市纪委监委日期: '' });

    const section = '五、改革创新风险备案';
    expect([count(wb, section, '同意备案'), count(wb, section, '不予备案'), count(wb, section, '审批中'), count(wb, section, '合计')]).toEqual([1, 1, 0, 2]);
    expect(count(wb, section, '其中：在备案期内（截至2026-12-15）')).toBe(1);
    expect(count(wb, section, '其中：已报备市纪委监委')).toBe(1);
    expect(count(wb, section, '其中：已报告实施结果')).toBe(0);
    // The 容错免责 part of 统计 counts no filing.
    expect(count(wb, '一、', '合计')).toBe(0);
  });

  it('shows the result report and the 绩效评价 once the period is over', async () => {
    chat.clock.set(new Date('2027-07-01T02:00:00.000Z'));
    const before = filingRows(await workbook(chat.clock.now()));
    expect(before[0]).toMatchObject({ 是否在备案期内: '否', 结果报告: '实施期已结束，尚未报告' });

    const todo = await yangFan.says('我的待办');
    await yangFan.says(`办结 ${/待办 #(\d+)：实施结束后/.exec(todo.text)![1]}`);
    await yangFan.taps('是');
    await yangFan.taps('否');
    await yangFan.says('试点期间办理容缺受理项目12个，平均缩短32天，全部按期补齐材料。');
    await yangFan.says('完成');
    await yangFan.taps('提交');
    const evaluation = /待办 #(\d+)：对实施结果进行绩效评价/.exec((await chenJianguo.says('我的待办')).text)![1];
    await chenJianguo.says(`办结 ${evaluation}`);
    await chenJianguo.taps('好');
    await chenJianguo.says('试点成效明显，无危害结果，建议推广。');
    await chenJianguo.taps('提交');

    const wb = await workbook(chat.clock.now());
    expect(filingRows(wb)[0]).toMatchObject({
      是否在备案期内: '否',
      结果报告: '2027-07-01 解决了实际问题；无危害结果发生。试点期间办理容缺受理项目12个，平均缩短32天，全部按期补齐材料。',
      绩效评价: '好：试点成效明显，无危害结果，建议推广。（陈建国）',
    });
    const section = '五、改革创新风险备案';
    expect([count(wb, section, '其中：在备案期内（截至2027-07-01）'), count(wb, section, '其中：已报告实施结果'), count(wb, section, '其中：已进行绩效评价')]).toEqual([0, 1, 1]);
  });
});
