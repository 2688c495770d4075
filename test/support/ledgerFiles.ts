import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { LINE_COLUMNS, PERSON_COLUMNS, UNIT_COLUMNS } from '../../src/domain/assessment/ledgerFile';

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
