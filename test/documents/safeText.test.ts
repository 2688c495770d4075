import { XMLValidator } from 'fast-xml-parser';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { glyphRuns, pdfFaces, REPLACEMENT, resolveFallbackFont, resolvePdfFont } from '../../src/documents/pdfFont';
import { renderCaseDocument, renderLedger } from '../../src/documents/render';
import { documentText } from '../../src/documents/safeText';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat } from '../support/chat';
import { docxPart, paragraphsText, pdfText, withFont } from './docText';
import { apply, caseId } from './fixtures';
import { selectOpened } from '../../src/storage/confidential';

/**
 * Every export succeeds for any text a person can type. An application whose 申请事由 holds emoji
 * and symbols, and control characters pasted from another program (BEL, ESC, a form feed), is
 * exported as Word, PDF and the 台账 workbook: each opens (well-formed XML throughout, a PDF with
 * every character drawn), the emoji kept, the control characters gone.
 */
const EMOJI = '😀👍🏻✅';
const REASON = `为赶工期先行签订补偿协议${EMOJI}，后因政策调整造成约20万元损失\u0007\u001b[0m，已整改\u000c完毕。`;

/** The control characters of REASON still in `text`. */
const pasted = (text: string) => ['\u0007', '\u001b', '\u000c'].filter((ch) => text.includes(ch));

const wellFormed = async (file: Buffer, parts: RegExp): Promise<string[]> => {
  const zip = await JSZip.loadAsync(file);
  const names = Object.keys(zip.files).filter((name) => parts.test(name));
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) {
    const xml = await zip.file(name)!.async('string');
    expect(XMLValidator.validate(xml), name).toBe(true);
  }
  return names;
};

describe('exports of ordinary text that other programs and phones produce', () => {
  let chat: Chat;
  let id: number;

  beforeAll(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    const number = await apply(chat.as('P014'), { situations: '二', reason: REASON });
    id = await caseId(chat, number);
  });
  afterAll(async () => chat?.close());

  it('keeps the text as typed in the case record: only the documents leave the control characters out', async () => {
    const [row]: { form: string }[] = await selectOpened<{ form: string }>(chat.db, 'cases', 'SELECT form FROM cases WHERE id = ?', [id]);
    expect(JSON.parse(row.form).reason).toBe(REASON);
  });

  it('writes a Word file Word can open: every part well-formed, the emoji kept, the control characters gone', async () => {
    const docx = (await renderCaseDocument(chat.db, id, 'form', 'docx'))!.content;
    await wellFormed(docx, /\.xml$/);
    const text = paragraphsText(await docxPart(docx, 'word/document.xml'));
    expect(text).toContain(`为赶工期先行签订补偿协议${EMOJI}，后因政策调整造成约20万元损失[0m，已整改完毕。`);
    expect(pasted(text)).toEqual([]);
  });

  withFont('makes the PDF, drawing emoji in the symbol font or, where there is none, as □', async () => {
    const pdf = (await renderCaseDocument(chat.db, id, 'form', 'pdf'))!.content;
    const text = (await pdfText(pdf)).replace(/\n/g, '');
    const drawn = (await resolveFallbackFont()) ? EMOJI : REPLACEMENT;
    expect(text).toContain(`签订补偿协议${drawn}`);
    expect(pasted(text)).toEqual([]);
  });

  it('writes a 台账 workbook Excel can open, the text cleaned the same way', async () => {
    const xlsx = (await renderLedger(chat.db, {}, 'ledger.xlsx')).content;
    await wellFormed(xlsx, /\.xml$/);
    const sheet = await (await JSZip.loadAsync(xlsx)).file('xl/sharedStrings.xml')?.async('string');
    const cells = sheet ?? (await (await JSZip.loadAsync(xlsx)).file('xl/worksheets/sheet1.xml')!.async('string'));
    expect(pasted(cells)).toEqual([]);
  });
});

describe('the characters a document can hold', () => {
  it('removes what XML forbids and keeps everything a person can read', () => {
    expect(documentText('甲\u0000乙\u0007丙\u001b丁\u000b戊\u000c己\u007f庚\u0085辛\r\n壬\t癸')).toBe('甲乙丙丁戊己庚辛\n壬\t癸');
    expect(documentText(`半个\ud83d表情${EMOJI}\uFFFE`)).toBe(`半个\uFFFD表情${EMOJI}`);
  });

  withFont('draws what the CJK face lacks in the symbol face, and what no face has as □, leaving invisible marks out', async () => {
    const font = await resolvePdfFont();
    const fallback = { path: '/nonexistent.ttf' };
    expect(glyphRuns(await pdfFaces(font, undefined), '同意👍️。')).toEqual([{ face: 'main', text: `同意${REPLACEMENT}。` }]);
    expect(glyphRuns(await pdfFaces(font, fallback), '签名')).toEqual([{ face: 'main', text: '签名' }]);
    const symbols = await resolveFallbackFont();
    if (symbols) expect(glyphRuns(await pdfFaces(font, symbols), '同意👍。')).toEqual([{ face: 'main', text: '同意' }, { face: 'fallback', text: '👍' }, { face: 'main', text: '。' }]);
  });
});
