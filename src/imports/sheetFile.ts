import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Workbook } from 'exceljs';
import { loadExcel } from '../rareModules';
import { parse } from 'yaml';

/**
 * Files that staff keep by hand and the bot imports (the roster, 问责事项): Excel workbooks with one
 * sheet per section, or YAML with one list per section, keyed by Chinese column headers. Cells are
 * read as trimmed text and judged later by the importer, so that every problem in the file is
 * reported at once rather than the first one the reader trips over.
 */
export type Columns = Record<string, string>;
export type Cells<C extends Columns> = { [K in keyof C]: string };
/** `row` says where the row is, in the file's own terms: "people 第5行" (Excel) or "people 第3条" (YAML). */
export type SheetRow<C extends Columns> = { row: string } & Cells<C>;

export interface SheetSection<C extends Columns = Columns> {
  /** Sheet names or YAML keys that mean this section, e.g. ['people', '人员']; messages name it by the first. */
  aliases: readonly string[];
  /** Row key → column header as people type it. */
  columns: C;
  /** Keys whose column must be present in a sheet; whether each cell may be empty is the importer's call. */
  required: readonly (keyof C & string)[];
  /** A sheet the file may leave out (read as no rows), e.g. the 条线 of a 考核 ledger. */
  optional?: boolean;
}
/** Checked property by property, not by SheetSection's type argument, so that each section keeps its own columns. */
export type SheetSections = Record<string, { aliases: readonly string[]; columns: Columns; required: readonly string[]; optional?: boolean }>;
export type SheetData<S extends SheetSections> = { [K in keyof S]: SheetRow<S[K]['columns']>[] };

export interface SheetSpec<S extends SheetSections> {
  /** What the file is called in messages: 花名册, 问责事项表. */
  noun: string;
  sections: S;
  /** The error the reader throws; a SheetImportError by default. */
  error?: (problems: SheetProblem[]) => SheetImportError;
}

export interface SheetProblem {
  row: string;
  reason: string;
}

/** Every problem found in a file, each with its row; thrown before anything is written. */
export class SheetImportError extends Error {
  constructor(
    readonly problems: SheetProblem[],
    noun = '文件',
  ) {
    super(`${noun}有 ${problems.length} 处问题，未导入任何数据：\n${problems.map((p) => `  ${p.row}：${p.reason}`).join('\n')}`);
    this.name = 'SheetImportError';
  }
}

export type SheetFormat = 'yaml' | 'xlsx';

export function sheetFormat(path: string): SheetFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.xlsx') return 'xlsx';
  return undefined;
}

const fail = <S extends SheetSections>(spec: SheetSpec<S>, problems: SheetProblem[]): SheetImportError =>
  spec.error ? spec.error(problems) : new SheetImportError(problems, spec.noun);

export async function readSheetFile<S extends SheetSections>(path: string, spec: SheetSpec<S>): Promise<SheetData<S>> {
  const format = sheetFormat(path);
  if (format === 'yaml') return parseSheetYaml(await readFile(path, 'utf8'), spec);
  if (format === 'xlsx') return readSheetXlsx(path, spec);
  throw fail(spec, [{ row: path, reason: `只支持 .xlsx、.yaml、.yml 格式的${spec.noun}` }]);
}

/** Headers are matched loosely (spaces, letter case) because they are typed by hand. */
export const normalizeHeader = (header: string): string => header.replace(/\s+/g, '').toLowerCase();

function rowFrom<C extends Columns>(columns: C, row: string, cell: (header: string) => unknown): SheetRow<C> {
  const entries = Object.entries(columns).map(([key, header]) => [key, cellText(cell(normalizeHeader(header)))]);
  return { row, ...Object.fromEntries(entries) } as SheetRow<C>;
}

export function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  // Excel dates carry no time zone; exceljs hands them over as UTC midnight.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: unknown };
    if (v.richText) return v.richText.map((part) => part.text).join('').trim();
    if ('result' in v) return cellText(v.result);
    if ('text' in v) return cellText(v.text);
    if ('error' in v) return String(v.error);
    return '';
  }
  return String(value).trim();
}

const isBlank = (row: Record<string, string>): boolean => Object.entries(row).every(([k, v]) => k === 'row' || v === '');

/** Reads each section in the spec's order, collecting problems; throws them all at the end. */
function readSections<S extends SheetSections>(
  spec: SheetSpec<S>,
  read: (name: string, section: SheetSections[string], problems: SheetProblem[]) => SheetRow<Columns>[],
): SheetData<S> {
  const problems: SheetProblem[] = [];
  const data = Object.fromEntries(Object.entries(spec.sections).map(([name, section]) => [name, read(name, section, problems)]));
  if (problems.length > 0) throw fail(spec, problems);
  return data as SheetData<S>;
}

export function parseSheetYaml<S extends SheetSections>(text: string, spec: SheetSpec<S>): SheetData<S> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw fail(spec, [{ row: 'YAML', reason: `无法解析：${(error as Error).message}` }]);
  }
  const root = isRecord(doc) ? new Map(Object.entries(doc).map(([k, v]) => [normalizeHeader(k), v])) : new Map();
  return readSections(spec, (key, { aliases, columns, optional }, problems) => {
    const name = aliases[0] ?? key;
    const list = aliases.map((alias) => root.get(normalizeHeader(alias))).find((v) => v !== undefined);
    if (list === undefined && optional) return [];
    if (!Array.isArray(list)) {
      problems.push({ row: name, reason: `缺少“${name}”列表` });
      return [];
    }
    return list.flatMap((item: unknown, index) => {
      const row = `${name} 第${index + 1}条`;
      if (!isRecord(item)) {
        problems.push({ row, reason: '应是“列名: 值”形式的一条记录' });
        return [];
      }
      const cells = new Map(Object.entries(item).map(([k, v]) => [normalizeHeader(k), v]));
      return [rowFrom(columns, row, (header) => cells.get(header))];
    });
  });
}

export async function readSheetXlsx<S extends SheetSections>(path: string, spec: SheetSpec<S>): Promise<SheetData<S>> {
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw fail(spec, [{ row: path, reason: `无法读取 Excel 文件：${(error as Error).message}` }]);
  }
  return fromWorkbook(workbook, spec);
}

/** The same, from a workbook's bytes (an upload); `name` stands for the file in messages. */
export async function readSheetXlsxBytes<S extends SheetSections>(bytes: Buffer, name: string, spec: SheetSpec<S>): Promise<SheetData<S>> {
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (error) {
    throw fail(spec, [{ row: name, reason: `无法读取 Excel 文件：${(error as Error).message}` }]);
  }
  return fromWorkbook(workbook, spec);
}

function fromWorkbook<S extends SheetSections>(workbook: Workbook, spec: SheetSpec<S>): SheetData<S> {
  return readSections(spec, (key, { aliases, columns, required, optional }, problems) => {
    const name = aliases[0] ?? key;
    const names = new Set(aliases.map(normalizeHeader));
    const sheet = workbook.worksheets.find((ws) => names.has(normalizeHeader(ws.name)));
    if (!sheet && optional) return [];
    if (!sheet) {
      problems.push({ row: name, reason: `缺少名为“${name}”的工作表` });
      return [];
    }
    const columnOf = new Map<string, number>();
    sheet.getRow(1).eachCell((cell, col) => columnOf.set(normalizeHeader(cellText(cell.value)), col));
    const missing = required.map((key) => columns[key]).filter((header) => !columnOf.has(normalizeHeader(header)));
    if (missing.length > 0) {
      problems.push({ row: `${sheet.name} 第1行`, reason: `缺少列：${missing.map((h) => `“${h}”`).join('、')}` });
      return [];
    }
    const rows: SheetRow<Columns>[] = [];
    sheet.eachRow((excelRow, rowNumber) => {
      if (rowNumber === 1) return;
      const row = rowFrom(columns, `${sheet.name} 第${rowNumber}行`, (header) => {
        const col = columnOf.get(header);
        return col === undefined ? undefined : excelRow.getCell(col).value;
      });
      if (!isBlank(row)) rows.push(row);
    });
    return rows;
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
