import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { LINE_COLUMNS, PERSON_COLUMNS, UNIT_COLUMNS, type LedgerFile } from '../../src/domain/assessment/ledgerFile';

type Row = Record<string, string | number>;

/** A 考核结果表 as the offices would save it: sheets 人员, 单位 and (when given) 条线, Chinese headers in row 1. */
export async function writeLedgerXlsx(sheets: { people?: Row[]; units?: Row[]; lines?: Row[] }, name = 'ledger.xlsx'): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'dandang-ledger-')), name);
  const wb = new ExcelJS.Workbook();
  const add = (sheetName: string, headers: string[], rows: Row[] | undefined) => {
    if (!rows) return;
    const ws = wb.addWorksheet(sheetName);
    ws.addRow(headers);
    for (const row of rows) ws.addRow(headers.map((h) => row[h] ?? null));
  };
  add('人员', Object.values(PERSON_COLUMNS), sheets.people);
  add('单位', Object.values(UNIT_COLUMNS), sheets.units);
  add('条线', Object.values(LINE_COLUMNS), sheets.lines);
  await wb.xlsx.writeFile(path);
  return path;
}

const blank = <C extends Record<string, string>>(columns: C) => Object.fromEntries(Object.keys(columns).map((k) => [k, ''])) as { [K in keyof C]: string };

/** A ledger file as the reader hands it over, from the cells that matter; every other cell empty. */
export function ledgerOf(sheets: {
  people?: Partial<Record<keyof typeof PERSON_COLUMNS, string>>[];
  units?: Partial<Record<keyof typeof UNIT_COLUMNS, string>>[];
  lines?: Partial<Record<keyof typeof LINE_COLUMNS, string>>[];
}): LedgerFile {
  return {
    people: (sheets.people ?? []).map((cells, i) => ({ row: `人员 第${i + 2}行`, ...blank(PERSON_COLUMNS), ...cells })),
    units: (sheets.units ?? []).map((cells, i) => ({ row: `单位 第${i + 2}行`, ...blank(UNIT_COLUMNS), ...cells })),
    lines: (sheets.lines ?? []).map((cells, i) => ({ row: `条线 第${i + 2}行`, ...blank(LINE_COLUMNS), ...cells })),
  };
}
