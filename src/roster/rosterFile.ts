import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'yaml';

/**
 * The roster as HR staff keep it: a `units` and a `people` sheet (or YAML list) with Chinese column
 * headers. Cells are read as trimmed text and judged later by the importer, so that every problem
 * in the file is reported at once rather than the first one the reader trips over.
 */
export const UNIT_COLUMNS = { code: '编码', name: '名称', kind: '类型', parentCode: '上级编码' } as const;

export const PERSON_COLUMNS = {
  code: '人员编号',
  name: '姓名',
  unitCode: '单位编码',
  post: '职务',
  nature: '性质',
  cityManaged: '市管干部',
  wecomUserId: '企业微信ID',
  dingtalkUserId: '钉钉ID',
  joinedOn: '入职日期',
  leftOn: '离开日期',
  roles: '角色',
} as const;

type Columns = Record<string, string>;
type Cells<C extends Columns> = { [K in keyof C]: string };

/** `row` says where the row is, in the file's own terms: "people 第5行" (Excel) or "people 第3条" (YAML). */
export type UnitRow = { row: string } & Cells<typeof UNIT_COLUMNS>;
export type PersonRow = { row: string } & Cells<typeof PERSON_COLUMNS>;

export interface RosterFile {
  units: UnitRow[];
  people: PersonRow[];
}

export interface RosterProblem {
  row: string;
  reason: string;
}

export class RosterImportError extends Error {
  constructor(readonly problems: RosterProblem[]) {
    super(
      `花名册有 ${problems.length} 处问题，未导入任何数据：\n${problems.map((p) => `  ${p.row}：${p.reason}`).join('\n')}`,
    );
    this.name = 'RosterImportError';
  }
}

const SECTIONS = {
  units: { aliases: ['units', '单位'], columns: UNIT_COLUMNS, required: ['code', 'name', 'kind', 'parentCode'] },
  people: { aliases: ['people', '人员'], columns: PERSON_COLUMNS, required: ['code', 'name', 'unitCode', 'post', 'nature'] },
} as const;
type Section = keyof typeof SECTIONS;

export type RosterFormat = 'yaml' | 'xlsx';

export function rosterFormat(path: string): RosterFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.xlsx') return 'xlsx';
  return undefined;
}

export async function readRosterFile(path: string): Promise<RosterFile> {
  const format = rosterFormat(path);
  if (format === 'yaml') return parseRosterYaml(await readFile(path, 'utf8'));
  if (format === 'xlsx') return readRosterXlsx(path);
  throw new RosterImportError([{ row: path, reason: '只支持 .xlsx、.yaml、.yml 格式的花名册' }]);
}

/** Headers are matched loosely (spaces, letter case) because they are typed by hand. */
const normalizeHeader = (header: string): string => header.replace(/\s+/g, '').toLowerCase();

function rowFrom<S extends Section>(section: S, row: string, cell: (header: string) => unknown) {
  const columns: Columns = SECTIONS[section].columns;
  const entries = Object.entries(columns).map(([key, header]) => [key, cellText(cell(normalizeHeader(header)))]);
  return { row, ...Object.fromEntries(entries) } as S extends 'units' ? UnitRow : PersonRow;
}

function cellText(value: unknown): string {
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

export function parseRosterYaml(text: string): RosterFile {
  const problems: RosterProblem[] = [];
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new RosterImportError([{ row: 'YAML', reason: `无法解析：${(error as Error).message}` }]);
  }
  const root = isRecord(doc) ? new Map(Object.entries(doc).map(([k, v]) => [normalizeHeader(k), v])) : new Map();
  const read = <S extends Section>(section: S) => {
    const list = SECTIONS[section].aliases.map((alias) => root.get(alias)).find((v) => v !== undefined);
    if (!Array.isArray(list)) {
      problems.push({ row: section, reason: `缺少“${section}”列表` });
      return [];
    }
    return list.flatMap((item: unknown, index) => {
      const row = `${section} 第${index + 1}条`;
      if (!isRecord(item)) {
        problems.push({ row, reason: '应是“列名: 值”形式的一条记录' });
        return [];
      }
      const cells = new Map(Object.entries(item).map(([k, v]) => [normalizeHeader(k), v]));
      return [rowFrom(section, row, (header) => cells.get(header))];
    });
  };
  const roster = { units: read('units'), people: read('people') };
  if (problems.length > 0) throw new RosterImportError(problems);
  return roster;
}

export async function readRosterXlsx(path: string): Promise<RosterFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (error) {
    throw new RosterImportError([{ row: path, reason: `无法读取 Excel 文件：${(error as Error).message}` }]);
  }
  const problems: RosterProblem[] = [];
  const read = <S extends Section>(section: S) => {
    const { aliases, columns, required } = SECTIONS[section];
    const sheet = workbook.worksheets.find((ws) => (aliases as readonly string[]).includes(normalizeHeader(ws.name)));
    if (!sheet) {
      problems.push({ row: section, reason: `缺少名为“${section}”的工作表` });
      return [];
    }
    const columnOf = new Map<string, number>();
    sheet.getRow(1).eachCell((cell, col) => columnOf.set(normalizeHeader(cellText(cell.value)), col));
    const missing = required.map((key) => (columns as Columns)[key]).filter((header) => !columnOf.has(normalizeHeader(header)));
    if (missing.length > 0) {
      problems.push({ row: `${sheet.name} 第1行`, reason: `缺少列：${missing.map((h) => `“${h}”`).join('、')}` });
      return [];
    }
    const rows: (S extends 'units' ? UnitRow : PersonRow)[] = [];
    sheet.eachRow((excelRow, rowNumber) => {
      if (rowNumber === 1) return;
      const row = rowFrom(section, `${sheet.name} 第${rowNumber}行`, (header) => {
        const col = columnOf.get(header);
        return col === undefined ? undefined : excelRow.getCell(col).value;
      });
      if (!isBlank(row)) rows.push(row);
    });
    return rows;
  };
  const roster = { units: read('units'), people: read('people') };
  if (problems.length > 0) throw new RosterImportError(problems);
  return roster;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
