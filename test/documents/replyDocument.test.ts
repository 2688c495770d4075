import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExport } from '../../src/documents/exportCli';
import { renderCaseDocument } from '../../src/documents/render';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat } from '../support/chat';
import { applyForTolerance, recordAnswer, recordMeeting, recordSubmission, sign } from '../support/toleranceDialogue';
import { docxPart, pdfText, tableRows, withFont } from './docText';
import { caseId, decide, investigate } from './fixtures';

/**
 * The 批复 of a zone-level 容错 request (the head amended the outcomes), and the 呈报表 and the
 * answer registration of a city-level one, made through the chat as the e2e tests make them.
 */
describe('批复 and 呈报表', () => {
  let chat: Chat;
  let zoneLevel: string;
  let cityLevel: string;
  let inReview: string;
  const dir = mkdtempSync(join(tmpdir(), 'dandang-reply-'));
  const rowsOf = async (number: string, document: 'reply' | 'submission') =>
    tableRows(await docxPart((await renderCaseDocument(chat.db, await caseId(chat, number), document, 'docx'))!.content, 'word/document.xml'));
  const numberOf = async () => String((await chat.db.query('SELECT number FROM cases ORDER BY id DESC LIMIT 1'))[0].number);

  beforeAll(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    const [yangFan, liuYang, wuHaiyan, chenJianguo] = ['P014', 'P012', 'P009', 'P001'].map((code) => chat.as(code));
    await applyForTolerance(yangFan);
    await decide(liuYang, '同意', '情况属实。');
    await investigate(wuHaiyan, '予以容错免责', '一、三');
    await decide(chenJianguo, '同意', '同意予以容错免责，调整处理方式。', '一、二');
    zoneLevel = await numberOf();

    await applyForTolerance(yangFan, { handedDown: true });
    await decide(liuYang, '同意', '情况属实。');
    await investigate(wuHaiyan, '予以容错免责');
    await recordMeeting(chenJianguo, '予以容错免责');
    await sign(chenJianguo, '同意呈报市纪委监委。');
    await recordSubmission(wuHaiyan, '临港纪〔2026〕15号');
    await recordAnswer(wuHaiyan, '澄纪复〔2026〕8号', '予以容错免责', '三');
    cityLevel = await numberOf();

    await applyForTolerance(yangFan);
    inReview = await numberOf();
  }, 90_000);
  afterAll(async () => {
    await chat?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the 批复 with the finding, the approval, the final outcomes and who it is sent to', async () => {
    const rows = await rowsOf(zoneLevel, 'reply');
    expect(rows.map((r) => r.split('|')[0])).toEqual(['申请人', '申请事项', '纪（工）委\n认定意见', '基层党委\n意\u3000见', '批复结论', '送\u3000达', '备\u3000注']);
    expect(rows[0]).toBe('申请人|杨帆|批复日期|2026年11月27日');
    expect(rows[2]).toContain('认定结论：予以容错免责');
    expect(rows[3]).toContain('调整后的处理（《容错细则》第七条）：');
    expect(rows[4]).toContain('经审核，予以容错免责。');
    expect(rows[4]).toContain('（二）在干部提拔任用和评先评优“党风廉洁意见”评价时，不作负面评价；');
    expect(rows[4]).not.toContain('（三）在开发区一体化绩效考核中免予或减少扣分');
    expect(rows[4]).toContain('签名：陈建国\u3000\u30002026年11月27日');
    expect(rows[5]).toBe('送\u3000达|杨帆（申请人）、刘洋（所在单位党组织主要负责人）');
  });

  it('writes the 呈报表 of a city-level matter and registers the city’s answer under its number', async () => {
    const submitted = await rowsOf(cityLevel, 'submission');
    expect(submitted[0]).toBe('呈报单位|临港开发区党工委|呈报日期|2026年11月27日');
    expect(submitted.find((r) => r.startsWith('呈报原因'))).toContain('属上级党组织、纪检监察机关交办的问题线索、信访件');
    expect(submitted.find((r) => r.startsWith('党（工）委\n集体研究'))).toContain('参加人员：陈建国、李明华、周志强、吴海燕');
    expect(submitted.find((r) => r.startsWith('开发区\n党工委'))).toContain('同意呈报市纪委监委。');
    expect(submitted.at(-1)).toContain('1. 临港开发区容错免责审批表（附件1）');

    const answered = await rowsOf(cityLevel, 'reply');
    expect(answered[0]).toBe('申请人|杨帆|答复日期|2026年11月27日');
    expect(answered.find((r) => r.startsWith('答复结论'))).toContain('市纪委监委答复（澄纪复〔2026〕8号）：予以容错免责。');
    expect(answered.find((r) => r.startsWith('呈\u3000报'))).toContain('文号：临港纪〔2026〕15号');
  });

  withFont('draws both as PDF in a CJK font', async () => {
    const reply = await pdfText((await renderCaseDocument(chat.db, await caseId(chat, zoneLevel), 'reply', 'pdf'))!.content);
    for (const expected of ['临港开发区容错免责批复', '批复编号：PF2026-', '经审核，予以容错免责。', '本批复送申请人及所在单位党组织，纪（工）委存档。']) expect(reply).toContain(expected);
    const submission = await pdfText((await renderCaseDocument(chat.db, await caseId(chat, cityLevel), 'submission', 'pdf'))!.content);
    for (const expected of ['临港开发区容错免责事项呈报表', '呈报文号：临港纪〔2026〕15号', '呈报市纪委监委。']) expect(submission).toContain(expected);
  }, 60_000);

  it('is what npm run export -- reply / submission writes, and says when a case has no such document', async () => {
    const out: string[] = [];
    const io = { open: async () => ({ db: chat.db, close: async () => undefined }), log: (l: string) => out.push(l), error: (l: string) => out.push(l) };
    expect(await runExport(['reply', zoneLevel, '--out', dir], io)).toBe(0);
    expect(await runExport(['submission', cityLevel, '--out', dir], io)).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([`${cityLevel}-容错免责事项呈报表.docx`, `${zoneLevel}-容错免责批复.docx`].sort());
    out.length = 0;
    expect(await runExport(['reply', inReview, '--out', dir], io)).toBe(1);
    expect(out).toEqual([`${inReview} 没有这份文书：尚未办结，没有批复或回复 (no such document)`]);
    out.length = 0;
    expect(await runExport(['submission', zoneLevel, '--out', dir], io)).toBe(1);
    expect(out).toEqual([`${zoneLevel} 没有这份文书：不是呈报市纪委监委的事项 (no such document)`]);
    // In chat too: the applicant is told, and nothing is issued.
    expect((await chat.as('P014').says(`导出批复 ${inReview}`)).text).toBe(`${inReview} 尚未办结，还没有批复或回复。`);
    expect((await chat.as('P009').says(`导出呈报 ${zoneLevel}`)).text).toBe(`${zoneLevel} 不是呈报市纪委监委的事项，没有呈报表。`);
  });
});
