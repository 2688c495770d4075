import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { DOCUMENT_LINK_TTL_MS } from '../../src/documents/links';
import { asciiFileName } from '../../src/documents/routes';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Answer, type Chat } from '../support/chat';
import { docxPart, paragraphsText, pdfText, withFont } from './docText';
import { apply, caseId, decide, fileRisk } from './fixtures';

/**
 * 导出 in chat: the bot answers with a link under PUBLIC_BASE_URL, the file comes from GET
 * /documents/:token over real HTTP. The base URL is a public one the test server does not have,
 * so the test opens the same path on its own server, as a reverse proxy would pass it on.
 */

const BASE = 'https://dandang.example.gov.cn/bot';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface AuditRow {
  actor_id: number;
  action: string;
  subject: string;
  detail: string | null;
}

describe.each(stateBackends)('导出 from the chat ($name state)', (stateBackend) => {
  let chat: Chat;
  let number: string;
  let filingNumber: string;

  const personId = async (code: string) => Number(((await chat.db.query('SELECT id FROM people WHERE code = ?', [code])) as { id: number }[])[0].id);
  const audits = async (action: string): Promise<AuditRow[]> =>
    (await chat.db.query('SELECT actor_id, action, subject, detail FROM audit_log WHERE action = ? ORDER BY id', [action])) as AuditRow[];

  /** The link in the bot's markdown answer. */
  const linkIn = (answer: Answer): string => {
    const markdown = answer.messages.find((m) => m.markdown)?.markdown;
    if (!markdown) throw new Error(`no link in the answer:\n${answer.text}`);
    return /\]\((\S+)\)/.exec(markdown)![1];
  };
  /** Opens a link of PUBLIC_BASE_URL on the test server: the path below the base, on its origin. */
  const open = (link: string) => {
    expect(link.startsWith(`${BASE}/documents/`)).toBe(true);
    return fetch(`${chat.url}${link.slice(BASE.length)}`);
  };
  const bodyOf = async (res: Response) => Buffer.from(await res.arrayBuffer());

  beforeAll(async () => {
    chat = await openChat(databaseBackends[0], stateBackend, { PUBLIC_BASE_URL: `${BASE}/` });
    number = await apply(chat.as('P014'), { situations: '二、三', matterText: '滨江项目征地补偿协议提前签订造成损失' });
    await decide(chat.as('P012'), '同意', '情况属实，同意报纪工委调查核实。');
    filingNumber = await fileRisk(chat.as('P014'));
  }, 60_000);
  afterAll(async () => chat?.close());

  it('gives the applicant a link to 附件1 as Word, made on request, named and audited', async () => {
    const answer = await chat.as('P014').says(`导出 ${number}`);
    const markdown = answer.messages.at(-1)!.markdown!;
    expect(markdown).toContain(`**${number} 容错免责审批表（Word）**`);
    expect(markdown).toContain(`[${number}-容错免责审批表.docx](${BASE}/documents/`);
    expect(markdown).toContain('链接 15 分钟内有效（10:15 前），请勿转发。'); // the test clock stands at 10:00 in Shanghai
    const link = linkIn(answer);
    expect(link).toMatch(/\/documents\/[A-Za-z0-9_-]{43}$/);

    const res = await open(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(DOCX);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${number}.docx"; filename*=UTF-8''${encodeURIComponent(`${number}-容错免责审批表.docx`)}`,
    );
    const text = paragraphsText(await docxPart(await bodyOf(res), 'word/document.xml'));
    expect(text).toContain('临港开发区容错免责审批表');
    expect(text).toContain('情况属实，同意报纪工委调查核实。');
    expect(text).toContain('主要负责人：刘洋');

    const [exported] = await audits('document.exported');
    expect(exported).toMatchObject({ actor_id: await personId('P014'), subject: `case:${await caseId(chat, number)}` });
    expect(JSON.parse(exported.detail!)).toMatchObject({ fileName: `${number}-容错免责审批表.docx`, format: 'docx' });

    // An approver of the case may export it too; the format word is not case-sensitive.
    const approver = await chat.as('P012').says(`导出 ${number.toLowerCase()} word`);
    expect((await open(linkIn(approver))).status).toBe(200);
  });

  it('answers 404 for a token it does not know, without saying why', async () => {
    const unknown = await fetch(`${chat.url}/documents/${'A'.repeat(43)}`);
    const malformed = await fetch(`${chat.url}/documents/not-a-token`);
    expect([unknown.status, malformed.status]).toEqual([404, 404]);
    expect(await unknown.json()).toEqual({ error: 'not found' });
    expect(await malformed.json()).toEqual({ error: 'not found' });
  });

  it.skipIf(stateBackend.name === 'redis')('lets the link expire after 15 minutes', async () => {
    const link = linkIn(await chat.as('P014').says(`导出 ${number}`));
    chat.clock.advance(DOCUMENT_LINK_TTL_MS - 1000);
    expect((await open(link)).status).toBe(200);
    chat.clock.advance(1000);
    const expired = await open(link);
    expect(expired.status).toBe(404);
    expect(await expired.json()).toEqual({ error: 'not found' });
  });

  it('refuses a cadre unrelated to the case, and audits the refusal', async () => {
    const answer = await chat.as('P017').says(`导出 ${number}`);
    expect(answer.text).toContain(`您无权导出 ${number} 的容错免责审批表`);
    expect(answer.messages.some((m) => m.markdown)).toBe(false);
    expect((await audits('document.refused')).at(-1)).toMatchObject({ actor_id: await personId('P017'), subject: `case:${await caseId(chat, number)}` });

    expect((await chat.as('P017').says('导出 RC2026-9999')).text).toContain('没有找到编号为 RC2026-9999 的申请或备案。');
  });

  withFont('gives the 纪工委 a filing’s 附件2 as PDF', async () => {
    const answer = await chat.as('P009').says(`导出 ${filingNumber} PDF`);
    expect(answer.text).toContain(`${filingNumber} 改革创新风险备案表（PDF）`);
    const res = await open(linkIn(answer));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent(`${filingNumber}-改革创新风险备案表.pdf`)}`);
    const pdf = await bodyOf(res);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('临港开发区改革创新风险备案表');
    expect(text).toContain(`编号：${filingNumber}`);
  }, 60_000);

  it('gives the 台账 of a year to 吴海燕 (纪工委) and refuses it to 杨帆', async () => {
    const answer = await chat.as('P009').says('导出台账 2026');
    expect(answer.text).toContain('2026年容错免责和改革创新风险备案台账');
    const res = await open(linkIn(answer));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX);
    expect(res.headers.get('content-disposition')).toContain(`filename*=UTF-8''${encodeURIComponent('容错免责台账-2026年.xlsx')}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await bodyOf(res)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['台账', '改革创新风险备案', '容错免责干部', '澄清正名', '统计']);
    expect(wb.getWorksheet('台账')!.getRow(3).getCell(1).value).toBe(number);
    expect(wb.getWorksheet('改革创新风险备案')!.getRow(3).getCell(1).value).toBe(filingNumber);
    expect((await audits('document.exported')).at(-1)).toMatchObject({ actor_id: await personId('P009'), subject: 'ledger' });

    const refused = await chat.as('P014').says('导出台账 2026');
    expect(refused.text).toContain('台账仅限纪工委、党群工作部和组织人事部门导出。');
    expect((await audits('document.refused')).at(-1)).toMatchObject({ actor_id: await personId('P014'), subject: 'ledger' });
  });

  it('narrows the 台账 to a unit named after the year', async () => {
    const wangFang = chat.as('P005'); // 党群工作部
    const answer = await wangFang.says('导出台账 2026 经济发展局');
    expect(answer.text).toContain('（经济发展局，含下属单位）');
    const res = await open(linkIn(answer));
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('容错免责台账-2026年-经济发展局.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await bodyOf(res)) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('台账')!.rowCount).toBe(3);

    expect((await wangFang.says('导出台账 2026 党政办')).text).toContain('“党政办”对应多个单位：利港街道党政办、申港街道党政办');
    expect((await wangFang.says('导出台账 2026 不存在的局')).text).toContain('名册中没有找到“不存在的局”这个单位。');
    const empty = await open(linkIn(await wangFang.says('导出台账2025年 利港街道党政办')));
    const wb2025 = new ExcelJS.Workbook();
    await wb2025.xlsx.load((await bodyOf(empty)) as unknown as ArrayBuffer);
    expect(wb2025.getWorksheet('台账')!.rowCount).toBe(2);
  });
});

describe('download links', () => {
  it('point at PUBLIC_BASE_URL, by default this server on loopback', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://127.0.0.1:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://dandang.example.gov.cn/' }).publicBaseUrl).toBe('https://dandang.example.gov.cn');
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'dandang.example.gov.cn' })).toThrow(/PUBLIC_BASE_URL: must look like https:\/\//);
  });

  it('name the file in ASCII too, for clients that cannot read filename*', () => {
    expect(asciiFileName('RC2026-0001-容错免责审批表.docx')).toBe('RC2026-0001.docx');
    expect(asciiFileName('容错免责台账-2026年-经济发展局.xlsx')).toBe('2026.xlsx');
    expect(asciiFileName('台账.xlsx')).toBe('document.xlsx');
  });
});
