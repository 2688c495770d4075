import type { DataSource } from 'typeorm';
import { CaseRepository } from '../domain/workflow/caseRepository';
import type { CaseKind } from '../domain/workflow/types';
import { approvalFormDocx, approvalFormPdf, loadApprovalFormData } from './approvalForm';
import { filingFormDocx, filingFormPdf, loadFilingFormData } from './filingForm';
import { ledgerXlsx, type LedgerFilter, type LedgerOptions } from './ledger';

/**
 * One place that turns a request for a document into its bytes and its file name, for the CLI
 * (npm run export) and for the download links the bot gives in chat: the paper form of a case,
 * whichever its kind (附件1 for 容错免责, 附件2 for 改革创新风险备案), and the 台账.
 */

export type FormFormat = 'docx' | 'pdf';
export type DocumentFormat = FormFormat | 'xlsx';

export const CONTENT_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The form's name in file names and messages. */
export const FORM_NAMES: Record<CaseKind, string> = { tolerance: '容错免责审批表', filing: '改革创新风险备案表' };

export interface RenderedDocument {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** RC2026-0001-容错免责审批表.docx, FB2026-0001-改革创新风险备案表.pdf. */
export function formFileName(kind: CaseKind, number: string, format: FormFormat): string {
  return `${number}-${FORM_NAMES[kind]}.${format}`;
}

/**
 * The paper form of the case with this id as .docx or PDF; undefined when there is no such case.
 * PDF needs a CJK font (PdfFontMissingError otherwise, see resolvePdfFont).
 */
export async function renderCaseForm(db: DataSource, caseId: number, format: FormFormat, env: NodeJS.ProcessEnv = process.env): Promise<RenderedDocument | undefined> {
  const c = await new CaseRepository(db).get(caseId);
  if (!c) return undefined;
  let content: Buffer;
  if (c.kind === 'filing') {
    const data = (await loadFilingFormData(db, c.id))!;
    content = format === 'pdf' ? await filingFormPdf(data, env) : await filingFormDocx(data);
  } else {
    const data = (await loadApprovalFormData(db, c.id))!;
    content = format === 'pdf' ? await approvalFormPdf(data, env) : await approvalFormDocx(data);
  }
  return { fileName: formFileName(c.kind, c.number, format), contentType: CONTENT_TYPES[format], content };
}

/** The 台账 workbook under the given file name. */
export async function renderLedger(db: DataSource, filter: LedgerFilter, fileName: string, options: LedgerOptions = {}): Promise<RenderedDocument> {
  return { fileName, contentType: CONTENT_TYPES.xlsx, content: await ledgerXlsx(db, filter, options) };
}
