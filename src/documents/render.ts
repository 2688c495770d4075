import type { DataSource } from 'typeorm';
import { CaseRepository } from '../domain/workflow/caseRepository';
import type { CaseKind } from '../domain/workflow/types';
import { formLayout, loadApprovalFormData } from './approvalForm';
import { adjustmentLayout, loadAdjustmentRecord } from './adjustmentRecord';
import { clearanceLayout, loadClearanceRecord } from './clearanceRecord';
import { filingFormLayout, loadFilingFormData } from './filingForm';
import { layoutDocx, layoutPdf, type FormLayout } from './formLayout';
import { ledgerXlsx, type LedgerFilter, type LedgerOptions } from './ledger';
import { loadReplyData, replyLayout } from './replyDocument';
import { loadSubmissionData, submissionLayout } from './submissionDocument';

/**
 * One place that turns a request for a document into its bytes and its file name, for the CLI
 * (npm run export) and for the download links the bot gives in chat: the documents of a case
 * (its paper form — 附件1 for 容错免责, 附件2 for 改革创新风险备案 — its 批复 / 回复, and the 呈报表
 * of a city-level matter), and the 台账.
 */

export type FormFormat = 'docx' | 'pdf';
export type DocumentFormat = FormFormat | 'xlsx';

export const CONTENT_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The documents a case has: its form, its answer (批复 / 回复), and for a city-level matter its 呈报表. */
export type CaseDocument = 'form' | 'reply' | 'submission';
export const CASE_DOCUMENTS: CaseDocument[] = ['form', 'reply', 'submission'];

/** Each document's name in file names and messages, by the kind of case. */
export const DOCUMENT_NAMES: Record<CaseDocument, Record<CaseKind, string>> = {
  form: { tolerance: '容错免责审批表', filing: '改革创新风险备案表', clearance: '澄清正名登记表', adjustment: '组织调整登记表' },
  reply: { tolerance: '容错免责批复', filing: '改革创新风险备案回复', clearance: '', adjustment: '' },
  submission: { tolerance: '容错免责事项呈报表', filing: '改革创新风险备案事项呈报表', clearance: '', adjustment: '' },
};

export interface RenderedDocument {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** RC2026-0001-容错免责审批表.docx, FB2026-0001-改革创新风险备案回复.pdf. */
export function documentFileName(kind: CaseKind, document: CaseDocument, number: string, format: FormFormat): string {
  return `${number}-${DOCUMENT_NAMES[document][kind]}.${format}`;
}

/** The layout of a case's document, or undefined when the case has no such document (yet); the case page shows the form from it. */
export async function layoutOf(db: DataSource, kind: CaseKind, caseId: number, document: CaseDocument): Promise<FormLayout | undefined> {
  if (document === 'reply') {
    const data = await loadReplyData(db, caseId);
    return data && replyLayout(data);
  }
  if (document === 'submission') {
    const data = await loadSubmissionData(db, caseId);
    return data && submissionLayout(data);
  }
  if (kind === 'filing') return filingFormLayout((await loadFilingFormData(db, caseId))!);
  if (kind === 'clearance') return clearanceLayout((await loadClearanceRecord(db, caseId))!);
  if (kind === 'adjustment') return adjustmentLayout((await loadAdjustmentRecord(db, caseId))!);
  return formLayout((await loadApprovalFormData(db, caseId))!);
}

/**
 * A document of the case with this id as .docx or PDF; undefined when there is no such case or
 * it has no such document. PDF needs a CJK font (PdfFontMissingError otherwise, see resolvePdfFont).
 */
export async function renderCaseDocument(
  db: DataSource,
  caseId: number,
  document: CaseDocument,
  format: FormFormat,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RenderedDocument | undefined> {
  const c = await new CaseRepository(db).get(caseId);
  const layout = c && (await layoutOf(db, c.kind, c.id, document));
  if (!c || !layout) return undefined;
  const content = format === 'pdf' ? await layoutPdf(layout, env) : await layoutDocx(layout);
  return { fileName: documentFileName(c.kind, document, c.number, format), contentType: CONTENT_TYPES[format], content };
}

/** The 台账 workbook under the given file name. */
export async function renderLedger(db: DataSource, filter: LedgerFilter, fileName: string, options: LedgerOptions = {}): Promise<RenderedDocument> {
  return { fileName, contentType: CONTENT_TYPES.xlsx, content: await ledgerXlsx(db, filter, options) };
}
