import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExportArgs, runExport, type ExportIo } from '../../src/documents/exportCli';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat } from '../support/chat';
import { docxPart, paragraphsText } from './docText';
import { apply, decide } from './fixtures';

const run = promisify(execFile);
const TSX = join(__dirname, '../../node_modules/.bin/tsx');
const CLI = join(__dirname, '../../src/documents/exportCli.ts');

/** The CLI as a separate process, as `npm run export -- …` starts it, on a database file of its own. */
async function cli(args: string[], databasePath: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [CLI, ...args], { env: { ...process.env, DATABASE_URL: `sqlite:${databasePath}` }, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run export', () => {
  let chat: Chat;
  let number: string;
  const dir = mkdtempSync(join(tmpdir(), 'dandang-export-'));
  const lines: { out: string[]; err: string[] } = { out: [], err: [] };
  const io = (): ExportIo => ({
    open: async () => ({ db: chat.db, close: async () => undefined }),
    log: (l) => lines.out.push(l),
    error: (l) => lines.err.push(l),
  });

  beforeAll(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    number = await apply(chat.as('P014'), { situations: '三', matterText: '滨江项目征地补偿协议提前签订造成损失' });
    await decide(chat.as('P012'), '同意', '情况属实，同意报纪工委调查核实。');
  }, 60_000);
  afterAll(async () => {
    await chat?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses bad arguments with exit code 2 and says what is wrong, before touching the database', async () => {
    const databasePath = join(dir, 'untouched', 'db.sqlite');
    const cases: [string[], RegExp][] = [
      [[], /请给出命令 form、reply、submission 或 ledger/],
      [['report'], /未知的命令 \(unknown command\): report/],
      [['form'], /请给出申请编号/],
      [['form', 'RC2026-0001', '--format', 'odt'], /--format 只能是 docx 或 pdf/],
      [['form', '2026-1'], /申请编号格式应如 RC2026-0001/],
      [['form', 'RC2026-0001', '--from', '2026-01-01'], /form 不接受这些参数.*--from/],
      [['ledger', '--from', '2026-1-1'], /from 日期格式应为 YYYY-MM-DD/],
      [['ledger', '--from', '2026-12-31', '--to', '2026-01-01'], /from is after to/],
      [['ledger', '--situation', '11'], /--situation 应为 1 至 10/],
      [['ledger', '--status', 'done'], /unknown status/],
      [['ledger', '--colour', 'red'], /参数有误/],
    ];
    for (const [args, message] of cases) {
      lines.err.length = 0;
      expect(await runExport(args, { ...io(), open: () => Promise.reject(new Error('must not open the database')) }), args.join(' ')).toBe(2);
      expect(lines.err.join('\n')).toMatch(message);
      expect(lines.err.join('\n')).toContain('用法 (usage)');
    }
    expect(parseExportArgs(['ledger', '--situation', '三', '--status', 'granted', '--unit', 'JG03'])).toEqual({
      command: 'ledger', from: undefined, to: undefined, unitCode: 'JG03', situation: 2, status: 'granted', out: '.',
    });

    const spawned = await cli(['form', 'RC2026-0001', '--format', 'odt'], databasePath);
    expect(spawned.code).toBe(2);
    expect(spawned.stderr).toContain('--format 只能是 docx 或 pdf');
  });

  it('exits 1 with a message for a case number nobody filed', async () => {
    lines.err.length = 0;
    expect(await runExport(['form', 'RC2026-9999', '--out', dir], io())).toBe(1);
    expect(lines.err).toEqual(['没有找到编号为 RC2026-9999 的申请 (no case numbered RC2026-9999)']);

    const spawned = await cli(['form', 'rc2026-9999', '--out', dir], join(dir, 'empty.sqlite'));
    expect(spawned.code).toBe(1);
    expect(spawned.stderr).toContain('没有找到编号为 RC2026-9999 的申请');
  });

  it('exits 2 for a unit code that is not in the roster', async () => {
    lines.err.length = 0;
    expect(await runExport(['ledger', '--unit', 'NOPE', '--out', dir], io())).toBe(2);
    expect(lines.err[0]).toBe('名册中没有单位编码 NOPE (no unit with code NOPE)');
  });

  it('writes the form and the ledger into --out', async () => {
    lines.out.length = 0;
    const out = join(dir, 'exports');
    expect(await runExport(['form', number.toLowerCase(), '--format', 'docx', '--out', out], io())).toBe(0);
    expect(await runExport(['ledger', '--from', '2026-01-01', '--to', '2026-12-31', '--unit', 'JG03', '--situation', '3', '--status', 'in_review', '--out', out], io())).toBe(0);
    expect(readdirSync(out).sort()).toEqual([`${number}-容错免责审批表.docx`, '容错免责台账-2026-01-01至2026-12-31.xlsx']);
    expect(lines.out).toEqual([`已导出 (written): ${join(out, `${number}-容错免责审批表.docx`)}`, `已导出 (written): ${join(out, '容错免责台账-2026-01-01至2026-12-31.xlsx')}`]);

    const text = paragraphsText(await docxPart(readFileSync(join(out, `${number}-容错免责审批表.docx`)), 'word/document.xml'));
    expect(text).toContain('情况属实，同意报纪工委调查核实。');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(join(out, '容错免责台账-2026-01-01至2026-12-31.xlsx')) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('台账')!.getRow(3).getCell(1).value).toBe(number);
    expect(wb.getWorksheet('台账')!.rowCount).toBe(3);
  });
});
