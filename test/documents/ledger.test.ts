import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEDGER_COLUMNS, LedgerFilterError, ledgerCases, ledgerStatistics, ledgerXlsx } from '../../src/documents/ledger';
import { EXEMPTIONS, SITUATIONS } from '../../src/domain/tolerance/policy';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat } from '../support/chat';
import { apply, decide, investigate, reportToCity } from './fixtures';

/**
 * Three real requests on three dates:
 *   granted   杨帆 (经济发展局综合科), 2026-03-10, 第五条（二）（三）, 第七条（一）（三）, 报备 done;
 *   rejected  韩雪 (利港街道城建科), 2026-11-27, （一）（三）, the 纪工委 finds against it;
 *   withdrawn 徐敏 (经济发展局综合科), 2026-12-31T17:00Z — already 2027-01-01 in Shanghai, （五）.
 */
describe('容错免责台账', () => {
  let chat: Chat;
  const numbers: Record<'granted' | 'rejected' | 'withdrawn', string> = { granted: '', rejected: '', withdrawn: '' };
  const unitId = async (code: string) => Number(((await chat.db.query('SELECT id FROM units WHERE code = ?', [code])) as { id: number }[])[0].id);

  beforeAll(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    const [yangFan, hanXue, xuMin, liuYang, wuHaiyan, chenJianguo, guoZhiming, liangHong] = ['P014', 'P027', 'P015', 'P012', 'P009', 'P001', 'P021', 'P024'].map((code) =>
      chat.as(code),
    );

    chat.clock.set(new Date('2026-03-10T02:00:00.000Z'));
    numbers.granted = await apply(yangFan, { situations: '二、三', matterText: '滨江项目征地补偿协议提前签订造成损失' });
    await decide(liuYang, '同意', '情况属实，同意报纪工委调查核实。');
    await investigate(wuHaiyan, '予以容错免责', '一、三');
    await decide(chenJianguo, '同意', '同意纪工委意见，予以容错免责。');
    await reportToCity(wuHaiyan, numbers.granted, '已报备。');

    chat.clock.set(new Date('2026-11-27T02:00:00.000Z'));
    numbers.rejected = await apply(hanXue, { situations: '一、三', matterText: '城建科违规先行施工被通报问责' });
    await decide(guoZhiming, '同意', '同意报街道纪工委核实。');
    await investigate(liangHong, '不予容错免责', '', '经核实，属违规先行施工，不予容错免责。');
    await decide(guoZhiming, '同意', '同意街道纪工委意见。');

    chat.clock.set(new Date('2026-12-31T17:00:00.000Z'));
    numbers.withdrawn = await apply(xuMin, { situations: '五', matterText: '历史遗留信访问题处置不当被问责' });
    await xuMin.says(`撤回 ${numbers.withdrawn}`);
    await xuMin.says('情况已说明清楚，不再申请。');
    await xuMin.taps('提交');
  }, 60_000);
  afterAll(async () => chat?.close());

  it('counts the cases by outcome, 第五条 situation, unit and 第七条 exemption', async () => {
    expect(await ledgerStatistics(chat.db)).toEqual({
      total: 3,
      byStatus: { in_review: 0, returned: 0, blocked: 0, withdrawn: 1, granted: 1, rejected: 1, revoked: 0 },
      bySituation: [1, 1, 2, 0, 1, 0, 0, 0, 0, 0],
      byUnit: [
        { unitId: await unitId('JG03'), code: 'JG03', name: '经济发展局', count: 2 },
        { unitId: await unitId('ZJ01'), code: 'ZJ01', name: '利港街道', count: 1 },
      ],
      byExemption: [1, 0, 1, 0],
      integrated: 0,
      reported: 1,
    });
  });

  it('filters on the zone calendar date, the unit with its sub-units, the situation and the status', async () => {
    const numbersOf = async (filter: Parameters<typeof ledgerCases>[1]) => (await ledgerCases(chat.db, filter)).map((c) => c.caseNumber);
    expect(await numbersOf({ from: '2026-01-01', to: '2026-12-31' })).toEqual([numbers.granted, numbers.rejected]);
    expect(await numbersOf({ from: '2027-01-01' })).toEqual([numbers.withdrawn]);
    expect(await numbersOf({ to: '2026-03-10' })).toEqual([numbers.granted]);
    expect(await numbersOf({ from: '2026-03-11', to: '2026-11-26' })).toEqual([]);
    expect(await numbersOf({ unitId: await unitId('JG03') })).toEqual([numbers.granted, numbers.withdrawn]);
    expect(await numbersOf({ unitId: await unitId('ZJ01') })).toEqual([numbers.rejected]);
    expect(await numbersOf({ unitId: await unitId('JG04') })).toEqual([]);
    expect(await numbersOf({ situation: 2 })).toEqual([numbers.granted, numbers.rejected]);
    expect(await numbersOf({ situation: 0 })).toEqual([numbers.rejected]);
    expect(await numbersOf({ status: 'granted' })).toEqual([numbers.granted]);
    expect((await ledgerStatistics(chat.db, { from: '2026-01-01', to: '2026-12-31' })).byStatus).toMatchObject({ granted: 1, rejected: 1, withdrawn: 0 });

    await expect(ledgerCases(chat.db, { from: '2026-02-30' })).rejects.toBeInstanceOf(LedgerFilterError);
    await expect(ledgerCases(chat.db, { from: '2026-12-01', to: '2026-01-01' })).rejects.toThrow(/from is after to/);
    await expect(ledgerCases(chat.db, { situation: 10 })).rejects.toThrow(/situation out of range/);
  });

  it('writes one row per case with the city’s columns, and the same numbers on 统计', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await ledgerXlsx(chat.db)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['台账', '改革创新风险备案', '容错免责干部', '澄清正名', '统计']);

    const sheet = wb.getWorksheet('台账')!;
    const header = (sheet.getRow(2).values as unknown[]).slice(1);
    expect(header).toEqual([...LEDGER_COLUMNS]);
    const rows = [];
    for (let r = 3; r <= sheet.rowCount; r++) rows.push(Object.fromEntries(LEDGER_COLUMNS.map((name, i) => [name, sheet.getRow(r).getCell(i + 1).value])));
    expect(rows.map((r) => r['编号'])).toEqual([numbers.granted, numbers.rejected, numbers.withdrawn]);

    const [granted, rejected, withdrawn] = rows;
    expect(granted).toMatchObject({
      申请人: '杨帆',
      单位: '经济发展局综合科',
      职务或性质: '综合科科长（行政）',
      申请时间: new Date('2026-03-10T00:00:00.000Z'),
      问责事项: '滨江项目征地补偿协议提前签订造成损失',
      容错情形: `（二）${SITUATIONS[1]}\n（三）${SITUATIONS[2]}`,
      是否八个一体化: '否',
      办理路径: '一般事项',
      当前状态: '予以容错免责',
      '认定结果（《容错细则》第七条）': `予以容错免责\n（一）${EXEMPTIONS[0]}\n（三）${EXEMPTIONS[2]}`,
      批复或答复: expect.stringMatching(/^批复 PF2026-\d{4}（2026-03-10）$/),
      报备市纪委监委日期: new Date('2026-03-10T00:00:00.000Z'),
      '撤销情况（《容错细则》第十条）': '',
    });
    expect(granted['各环节意见摘要']).toBe(
      [
        '所在单位党组织意见：刘洋（2026-03-10）同意。情况属实，同意报纪工委调查核实。',
        '纪（工）委意见：吴海燕（2026-03-10）认定：予以容错免责，作《容错细则》第七条（一）（三）处理。经调查核实，符合第五条（二）（三）情形，建议予以容错免责。',
        '基层党委意见：陈建国（2026-03-10）同意。同意纪工委意见，予以容错免责。',
      ].join('\n'),
    );
    expect(rejected).toMatchObject({ 申请人: '韩雪', 单位: '利港街道城建科', 当前状态: '不予容错免责', '认定结果（《容错细则》第七条）': '不予容错免责', 报备市纪委监委日期: '' });
    expect(rejected['各环节意见摘要']).toContain('纪（工）委意见：梁红（2026-11-27）认定：不予容错免责。');
    expect(rejected['各环节意见摘要']).toContain('基层党委意见：郭志明（2026-11-27）同意。同意街道纪工委意见。');
    expect(withdrawn).toMatchObject({ 申请人: '徐敏', 申请时间: new Date('2027-01-01T00:00:00.000Z'), 当前状态: '已撤回', 各环节意见摘要: '', '认定结果（《容错细则》第七条）': '' });

    // 《容错细则》第十一条: the cadres given 容错, for the 组织人事部门.
    const people = wb.getWorksheet('容错免责干部')!;
    expect((people.getRow(2).values as unknown[]).slice(1)).toEqual(['姓名', '单位', '职务或性质', '申请编号', '批复或答复', '容错免责处理（《容错细则》第七条）', '状态']);
    expect(people.rowCount).toBe(3);
    expect(people.getRow(3).getCell(1).value).toBe('杨帆');
    expect(people.getRow(3).getCell(7).value).toBe('有效');

    const stats = wb.getWorksheet('统计')!;
    const count = (label: string, after?: string) => {
      let seen = after === undefined;
      for (let r = 1; r <= stats.rowCount; r++) {
        const cell = String(stats.getRow(r).getCell(1).value ?? '');
        if (!seen && cell.startsWith(after!)) seen = true;
        else if (seen && cell === label) return stats.getRow(r).getCell(2).value;
      }
      throw new Error(`no “${label}” row on 统计`);
    };
    expect([count('予以容错免责'), count('不予容错免责'), count('已撤回'), count('审批中'), count('合计')]).toEqual([1, 1, 1, 0, 3]);
    expect(count(`（三）${SITUATIONS[2]}`)).toBe(2);
    expect(count(`（一）${SITUATIONS[0]}`)).toBe(1);
    expect(count(`（四）${SITUATIONS[3]}`)).toBe(0);
    expect([count('经济发展局', '三、'), count('利港街道', '三、')]).toEqual([2, 1]);
    expect(count(`（一）${EXEMPTIONS[0]}`)).toBe(1);
    expect(count('其中：已报备市纪委监委')).toBe(1);
  });
});
