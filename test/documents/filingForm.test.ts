import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseKindError, loadApprovalFormData } from '../../src/documents/approvalForm';
import { runExport } from '../../src/documents/exportCli';
import { filingFormDocx, filingFormPdf, loadFilingFormData, type FilingFormData } from '../../src/documents/filingForm';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat } from '../support/chat';
import { docxPart, paragraphsText, pdfText, tableRows, withFont } from './docText';
import { caseId, completeTask, decide, FILING, fileRisk, findFiling, jointReview } from './fixtures';

/**
 * 附件2 from real filings made through the simulator chat: 杨帆 files for 综合科, 刘洋 gives the
 * unit opinion, 李明华 the 分管领导 opinion, 吴海燕 leads the 集体会审 of 钱志刚, 胡斌 and 马骏
 * and gives the 纪工委 opinion, 陈建国 signs for the 基层党委 (and the 党工委).
 */

const LABELS = [
  '备案单位',
  '备案事由\n(计划、方案\n可另附)',
  '存在的风险\n(详情可另附)',
  '备案单位\n意\u3000见',
  '分管领导\n意\u3000见',
  '会审意见',
  '纪（工）委\n意\u3000见',
  '基层党委\n意\u3000见',
  '开发区\n党工委意见',
  '备\u3000注',
];

describe('临港开发区改革创新风险备案表 (附件2)', () => {
  let chat: Chat;
  let number: string;
  let integratedNumber: string;
  let filing: FilingFormData;
  let integrated: FilingFormData;
  const dir = mkdtempSync(join(tmpdir(), 'dandang-filing-'));

  beforeAll(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    const [yangFan, liuYang, liMinghua, wuHaiyan, chenJianguo] = ['P014', 'P012', 'P002', 'P009', 'P001'].map((code) => chat.as(code));
    const reviewers = [
      { who: chat.as('P007'), name: '钱志刚', stance: '同意' as const, opinion: '组织人事方面无意见。' },
      { who: chat.as('P018'), name: '胡斌', stance: '有条件同意' as const, opinion: '规划建设方面同意，注意用地手续' },
      { who: chat.as('P016'), name: '马骏', stance: '同意' as const, opinion: '项目科同意。' },
    ];

    number = await fileRisk(yangFan);
    await decide(liuYang, '同意', '经局党组集体讨论，同意备案。');
    await decide(liMinghua, '同意', '同意，实施中注意控制风险。');
    await jointReview(wuHaiyan, reviewers, '经集体会审，同意备案。');
    await findFiling(wuHaiyan, '同意备案', '认定为上级尚无明确限制的探索性试验，予以备案。');
    await decide(chenJianguo, '同意', '同意备案。');
    await completeTask(wuHaiyan, number, '将备案材料报备市纪委监委', '已报备。');

    integratedNumber = await fileRisk(yangFan, { integrated: true, title: '工业用地“标准地”出让改革试点' });
    await decide(liuYang, '同意', '同意。');
    await decide(liMinghua, '同意', '同意。');
    await jointReview(wuHaiyan, reviewers.slice(0, 1), '会审同意。');
    await findFiling(wuHaiyan, '同意备案', '予以备案。');
    await decide(chenJianguo, '同意', '同意，报开发区党工委。');
    await decide(chenJianguo, '同意', '开发区党工委同意备案。');

    filing = (await loadFilingFormData(chat.db, await caseId(chat, number)))!;
    integrated = (await loadFilingFormData(chat.db, await caseId(chat, integratedNumber)))!;
  }, 90_000);
  afterAll(async () => {
    await chat?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the filing, every stage and each 会审 participant into plain data', () => {
    expect(number).toMatch(/^FB2026-\d{4}$/);
    expect(filing).toMatchObject({
      status: 'granted',
      filerName: '杨帆',
      unitName: '经济发展局综合科',
      filedAt: '2026-11-27T02:00:00.000Z',
      title: FILING.title,
      reason: FILING.reason,
      risks: FILING.risks,
      discussedOn: FILING.discussedOn,
      minutes: 1,
      periodStart: FILING.periodStart,
      periodEnd: FILING.periodEnd,
      integrated: false,
      path: 'ordinary',
      unit: { signer: '刘洋', entry: { kind: 'opinion', stance: 'agree', opinion: '经局党组集体讨论，同意备案。' } },
      supervisor: { signer: '李明华', entry: { opinion: '同意，实施中注意控制风险。' } },
      review: { signer: '吴海燕', entry: { kind: 'jointReview', opinion: '经集体会审，同意备案。' } },
      discipline: { signer: '吴海燕', entry: { kind: 'finding', verdict: 'grant', opinion: '认定为上级尚无明确限制的探索性试验，予以备案。' } },
      committee: { signer: '陈建国', entry: { kind: 'approval', stance: 'agree', opinion: '同意备案。' } },
      zone: null,
      reply: { title: '回复', verdict: 'grant' },
      reportedOn: '2026-11-27',
      resultReport: null,
      evaluation: null,
    });
    expect(filing.reviews).toEqual([
      { reviewer: '钱志刚', stance: '同意', opinion: '组织人事方面无意见。' },
      { reviewer: '胡斌', stance: '有条件同意', opinion: '规划建设方面同意，注意用地手续' },
      { reviewer: '马骏', stance: '同意', opinion: '项目科同意。' },
    ]);
  });

  it('writes 附件2 as Word: the unit, period, risks, every stage’s opinion and the 会审 participants', async () => {
    const document = await docxPart(await filingFormDocx(filing), 'word/document.xml');
    expect(document).toMatch(/<w:pgSz w:w="11906" w:h="16838"/);
    const text = paragraphsText(document);
    expect(text).toContain('附件2');
    expect(text).toContain('临港开发区改革创新风险备案表');
    expect(text).toContain(`编号：${number}`);
    expect(text).toContain('此表一式两份，报告单位、纪工委各执一份。');

    const rows = tableRows(document);
    expect(rows.map((r) => r.split('|')[0])).toEqual(LABELS);
    expect(rows[0]).toBe('备案单位|经济发展局综合科|备案时间|2026年11月27日');
    expect(rows[1]).toContain(`备案事项：${FILING.title}`);
    expect(rows[1]).toContain(FILING.reason);
    expect(rows[1]).toContain(`政策依据：${FILING.policyBasis}`);
    expect(rows[1]).toContain('实施期限：2026年12月1日至2027年6月30日');
    expect(rows[1]).toContain('单位党组织集体讨论：2026年11月20日（会议纪要 1 份，另附）');
    expect(rows[2]).toContain(FILING.risks);
    expect(rows[3]).toContain('经局党组集体讨论，同意备案。');
    expect(rows[3]).toContain('主要负责人：刘洋\u3000\u30002026年11月27日（盖章）');
    expect(rows[4]).toContain('同意，实施中注意控制风险。');
    expect(rows[4]).toContain('签名：李明华\u3000\u30002026年11月27日');
    for (const line of ['钱志刚：同意。组织人事方面无意见。', '胡斌：有条件同意。规划建设方面同意，注意用地手续。', '马骏：同意。项目科同意。', '经集体会审，同意备案。', '会审结论：同意']) {
      expect(rows[5]).toContain(line);
    }
    expect(rows[5]).toContain('牵头人：吴海燕\u3000\u30002026年11月27日（盖章）');
    expect(rows[6]).toContain('认定为上级尚无明确限制的探索性试验，予以备案。');
    expect(rows[6]).toContain('认定结论：同意备案');
    expect(rows[6]).toContain('认定人：吴海燕\u3000\u30002026年11月27日（盖章）');
    expect(rows[7]).toContain('同意备案。');
    expect(rows[7]).toContain('签名：陈建国\u3000\u30002026年11月27日');
    expect(rows[8]).toBe('开发区\n党工委意见|签名：\u3000\u3000\u3000\u3000\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日');
    expect(rows[9]).toContain(`编号：${number}；经办人：杨帆；当前状态：同意备案。`);
    expect(rows[9]).toContain('已于2026年11月27日报备市纪委监委。');
    expect(rows[9]).toMatch(/回复：HF2026-\d{4}，2026年11月27日，同意备案。/);
  });

  it('fills the 开发区党工委意见 row of an 八个一体化 filing', async () => {
    const rows = tableRows(await docxPart(await filingFormDocx(integrated), 'word/document.xml'));
    expect(rows[8]).toContain('开发区党工委同意备案。');
    expect(rows[8]).toContain('签名：陈建国\u3000\u30002026年11月27日');
    expect(rows[5]).toContain('钱志刚：同意。组织人事方面无意见。');
    expect(rows[9]).not.toContain('不属于“八个一体化”事项');
  });

  it('keeps each form to its own kind of case', async () => {
    await expect(loadApprovalFormData(chat.db, filing.caseId)).rejects.toBeInstanceOf(CaseKindError);
    expect(await loadFilingFormData(chat.db, 999_999)).toBeUndefined();
  });

  withFont('draws the same form as a PDF', async () => {
    const pdf = await filingFormPdf(filing);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const expected of ['临港开发区改革创新风险备案表', `编号：${number}`, '经济发展局综合科', '胡斌', '会审意见', '此表一式两份，报告单位、纪工委各执一份。']) {
      expect(text).toContain(expected);
    }
  }, 60_000);

  it('is what npm run export -- form FB… writes', async () => {
    const out: string[] = [];
    const io = { open: async () => ({ db: chat.db, close: async () => undefined }), log: (l: string) => out.push(l), error: (l: string) => out.push(l) };
    expect(await runExport(['form', number, '--out', dir], io)).toBe(0);
    expect(readdirSync(dir)).toEqual([`${number}-改革创新风险备案表.docx`]);
    expect(out).toEqual([`已导出 (written): ${join(dir, `${number}-改革创新风险备案表.docx`)}`]);
    const text = paragraphsText(await docxPart(readFileSync(join(dir, `${number}-改革创新风险备案表.docx`)), 'word/document.xml'));
    expect(text).toContain('胡斌：有条件同意。规划建设方面同意，注意用地手续。');
  });
});
