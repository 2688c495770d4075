import type ExcelJS from 'exceljs';

/**
 * What a person can type, made fit for a document. Text pasted from other programs brings control
 * characters (BEL \u0007, ESC \u001b, form feeds …) that XML 1.0 forbids: a .docx or .xlsx holding
 * one is ill-formed and Word or Excel refuses to open it. They carry nothing readable and are
 * removed; a lone half of a surrogate pair becomes U+FFFD; line breaks become \n. Everything
 * else (CJK, emoji, symbols) stays: the PDF has a fallback font for it (pdfFont.ts).
 */
export function documentText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\p{Cs}/gu, '\uFFFD')
    .replace(/[\p{Cc}\uFFFE\uFFFF]/gu, (ch) => (ch === '\t' || ch === '\n' ? ch : ''));
}

/** `value` with every string in it, however deep, passed through documentText. */
export function documentValues<T>(value: T): T {
  if (typeof value === 'string') return documentText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => documentValues(v)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, documentValues(v)])) as T;
  }
  return value;
}

/** The workbook's bytes, every text cell passed through documentText first. */
export async function xlsxBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  wb.eachSheet((sheet) => {
    sheet.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        if (typeof cell.value === 'string') cell.value = documentText(cell.value);
      });
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}
