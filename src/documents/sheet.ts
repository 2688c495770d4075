import type ExcelJS from 'exceljs';
import { zoneDate } from '../clock';

/** The look of every list sheet of the 台账: 宋体, boxed cells, a title row and a frozen header. */

export const SUMMARY_MAX = 80;
export const short = (text: string): string => (Array.from(text).length > SUMMARY_MAX ? `${Array.from(text).slice(0, SUMMARY_MAX).join('')}……` : text);
export const ymd = (iso: string): string => zoneDate(new Date(iso));
/** An Excel date cell showing the zone calendar date. */
export const excelDate = (value: string): Date => new Date(`${/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : ymd(value)}T00:00:00.000Z`);

const thin = { style: 'thin' as const, color: { argb: 'FF000000' } };
export const boxed = { top: thin, left: thin, bottom: thin, right: thin };
export const FONT = { name: '宋体', size: 10.5 };

/** A sheet of one row per record under a title row and a header row, frozen, printed landscape. */
export function listSheet(wb: ExcelJS.Workbook, name: string, title: string, columns: readonly string[], widths: number[]): ExcelJS.Worksheet {
  const sheet = wb.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 2 }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' },
  });
  sheet.columns = widths.map((width) => ({ width }));
  sheet.mergeCells(1, 1, 1, columns.length);
  const titleCell = sheet.getCell(1, 1);
  titleCell.value = title;
  titleCell.font = { ...FONT, size: 14, bold: true };
  titleCell.alignment = { horizontal: 'center', vertical: 'middle' };
  sheet.getRow(1).height = 28;
  const header = sheet.getRow(2);
  header.values = [...columns];
  header.eachCell((cell) => {
    cell.font = { ...FONT, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = boxed;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
  });
  header.height = 30;
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: columns.length } };
  return sheet;
}

/** One record's row: boxed, wrapped, these columns centred and these shown as dates. */
export function listRow(sheet: ExcelJS.Worksheet, values: (string | Date)[], centred: number[], dates: number[]): void {
  const row = sheet.addRow(values);
  row.eachCell({ includeEmpty: true }, (cell, col) => {
    cell.font = FONT;
    cell.border = boxed;
    cell.alignment = { vertical: 'top', wrapText: true, horizontal: centred.includes(col) ? 'center' : 'left' };
  });
  for (const col of dates) row.getCell(col).numFmt = 'yyyy-mm-dd';
}

