import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../config';
import { CaseRepository } from '../domain/workflow/caseRepository';
import type { CaseStatus } from '../domain/workflow/types';
import { openConfiguredDatabase } from '../storage/dataSource';
import { select } from '../storage/sql';
import { CASE_STATUSES, checkLedgerFilter, LedgerFilterError, ledgerXlsx, type LedgerFilter } from './ledger';
import { CASE_DOCUMENTS, renderCaseDocument, type CaseDocument } from './render';

/**
 * `npm run export`: the form of one case as .docx or PDF (附件1 for a 容错免责 request RC…, 附件2
 * for a 改革创新风险备案 FB…), or the 台账 workbook.
 * Exit codes: 0 written, 1 nothing to export (unknown case, no font, database trouble), 2 bad arguments.
 */

export const USAGE = `用法 (usage):
  npm run export -- form|reply|submission <编号，如 RC2026-0001 或 FB2026-0001> [--format docx|pdf] [--out 目录]
  npm run export -- ledger [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--unit 单位编码] [--situation 1-10] [--status ${CASE_STATUSES.join('|')}] [--out 目录]

  form    容错免责申请（RC…）导出临港开发区容错免责审批表（《容错细则》附件1），
          改革创新风险备案（FB…）导出临港开发区改革创新风险备案表（附件2）；默认 --format docx
  reply   办结后的批复（容错）或回复（备案）
  submission  市级层面事项的呈报表
  ledger  容错免责和改革创新风险备案台账（Excel），--situation 为第五条的项号（1 即（一），只筛选容错免责申请），
          --unit 含下属单位；“是否在备案期内”按导出当天计
  --out   输出目录，默认当前目录`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type ExportCommand =
  | { command: CaseDocument; number: string; format: 'docx' | 'pdf'; out: string }
  | { command: 'ledger'; from?: string; to?: string; unitCode?: string; situation?: number; status?: CaseStatus; out: string }
  | { command: 'help' };

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const FORM_OPTIONS = new Set(['format', 'out']);
const LEDGER_OPTIONS = new Set(['from', 'to', 'unit', 'situation', 'status', 'out']);

/** Reads the command line; throws UsageError with a message saying what is wrong. */
export function parseExportArgs(argv: string[]): ExportCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(`参数有误 (bad arguments): ${(error as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  const [command, ...rest] = positionals;
  const given = Object.keys(values).filter((k) => values[k as keyof typeof values] !== undefined);
  const refuse = (allowed: Set<string>) => {
    const wrong = given.filter((k) => !allowed.has(k));
    if (wrong.length > 0) throw new UsageError(`${command} 不接受这些参数 (not an option of ${command}): ${wrong.map((k) => `--${k}`).join(' ')}`);
  };
  const out = values.out ?? '.';
  if (values.out === '') throw new UsageError('--out 不能为空 (--out needs a directory)');

  if ((CASE_DOCUMENTS as string[]).includes(command)) {
    refuse(FORM_OPTIONS);
    if (rest.length !== 1) throw new UsageError(rest.length === 0 ? '请给出申请编号，如 RC2026-0001 (case number missing)' : `多余的参数 (unexpected): ${rest.slice(1).join(' ')}`);
    const number = rest[0].trim().toUpperCase();
    if (!/^[A-Z]{2}\d{4}-\d{4,}$/.test(number)) throw new UsageError(`申请编号格式应如 RC2026-0001 (bad case number): ${rest[0]}`);
    const format = values.format ?? 'docx';
    if (format !== 'docx' && format !== 'pdf') throw new UsageError(`--format 只能是 docx 或 pdf (unknown format): ${format}`);
    return { command: command as CaseDocument, number, format, out };
  }
  if (command === 'ledger') {
    refuse(LEDGER_OPTIONS);
    if (rest.length > 0) throw new UsageError(`多余的参数 (unexpected): ${rest.join(' ')}`);
    let situation: number | undefined;
    if (values.situation !== undefined) {
      const raw = values.situation.trim().replace(/^（|）$/g, '');
      situation = /^\d+$/.test(raw) ? Number(raw) - 1 : NUMERALS.indexOf(raw);
      if (!(situation >= 0 && situation < NUMERALS.length)) throw new UsageError(`--situation 应为 1 至 10 (situation must be 1-10): ${values.situation}`);
    }
    const status = values.status as CaseStatus | undefined;
    const filter: LedgerFilter = { from: values.from, to: values.to, situation, status };
    try {
      checkLedgerFilter(filter);
    } catch (error) {
      if (error instanceof LedgerFilterError) throw new UsageError(error.message);
      throw error;
    }
    return { command: 'ledger', from: values.from, to: values.to, unitCode: values.unit, situation, status, out };
  }
  throw new UsageError(command ? `未知的命令 (unknown command): ${command}` : '请给出命令 form、reply、submission 或 ledger (command missing)');
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      format: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      unit: { type: 'string' },
      situation: { type: 'string' },
      status: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

export interface ExportIo {
  open(): Promise<{ db: DataSource; close(): Promise<void> }>;
  log(line: string): void;
  error(line: string): void;
  env?: NodeJS.ProcessEnv;
}

function write(dir: string, name: string, content: Buffer): string {
  const target = resolve(dir);
  mkdirSync(target, { recursive: true });
  const path = join(target, name);
  writeFileSync(path, content);
  return path;
}

/** Runs the command and returns the process exit code. */
export async function runExport(argv: string[], io: ExportIo): Promise<number> {
  let cmd: ExportCommand;
  try {
    cmd = parseExportArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.error(error.message);
    io.error(USAGE);
    return 2;
  }
  if (cmd.command === 'help') {
    io.log(USAGE);
    return 0;
  }

  let opened: Awaited<ReturnType<ExportIo['open']>> | undefined;
  try {
    opened = await io.open();
    const { db } = opened;
    if (cmd.command !== 'ledger') {
      const c = await new CaseRepository(db).byNumber(cmd.number);
      if (!c) {
        io.error(`没有找到编号为 ${cmd.number} 的申请 (no case numbered ${cmd.number})`);
        return 1;
      }
      const doc = await renderCaseDocument(db, c.id, cmd.command, cmd.format, io.env ?? process.env);
      if (!doc) {
        io.error(`${cmd.number} 没有这份文书：${cmd.command === 'reply' ? '尚未办结，没有批复或回复' : '不是呈报市纪委监委的事项'} (no such document)`);
        return 1;
      }
      io.log(`已导出 (written): ${write(cmd.out, doc.fileName, doc.content)}`);
      return 0;
    }
    let unitId: number | undefined;
    if (cmd.unitCode !== undefined) {
      const [unit] = await select<{ id: number }>(db, 'SELECT id FROM units WHERE code = ?', [cmd.unitCode]);
      if (!unit) {
        io.error(`名册中没有单位编码 ${cmd.unitCode} (no unit with code ${cmd.unitCode})`);
        io.error(USAGE);
        return 2;
      }
      unitId = Number(unit.id);
    }
    const content = await ledgerXlsx(db, { unitId, from: cmd.from, to: cmd.to, situation: cmd.situation, status: cmd.status });
    const range = cmd.from || cmd.to ? `-${cmd.from ?? ''}至${cmd.to ?? ''}` : '';
    io.log(`已导出 (written): ${write(cmd.out, `容错免责台账${range}.xlsx`, content)}`);
    return 0;
  } catch (error) {
    // PdfFontMissingError, ConfigError and database errors all say what is wrong.
    io.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await opened?.close();
  }
}

if (require.main === module) {
  void runExport(process.argv.slice(2), {
    async open() {
      const db = await openConfiguredDatabase(loadConfig(), true);
      return { db, close: () => db.destroy() };
    },
    log: (line) => console.log(line),
    error: (line) => console.error(line),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
