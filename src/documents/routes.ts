import { extname } from 'node:path';
import Router from '@koa/router';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock';
import { AuditLog } from '../domain/audit';
import type { StateStore } from '../state/stateStore';
import { documentGrant, type DocumentGrant } from './links';
import { CONTENT_TYPES, renderCaseDocument, renderLedger, type RenderedDocument } from './render';

/** The ASCII file name for clients that cannot read filename*: RC2026-0001-容错免责审批表.docx → RC2026-0001.docx. */
export function asciiFileName(fileName: string): string {
  const ext = extname(fileName).replace(/[^\x21-\x7e]/g, '');
  const stem = fileName
    .slice(0, fileName.length - extname(fileName).length)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return `${stem || 'document'}${ext}`;
}

/**
 * GET /documents/:token: the document a chat export link grants, made on request (never stored),
 * as an attachment named like RC2026-0001-容错免责审批表.docx (RFC 6266 with an RFC 5987 filename*).
 * An unknown, expired or malformed token gets the same 404; each download is audited.
 */
export function documentRoutes(deps: {
  db: DataSource;
  state: StateStore;
  clock: Clock;
  env?: NodeJS.ProcessEnv;
  /** The 干部队伍综合分析 workbook of a year (能上能下办法 第十六条). */
  analysis?: (year: number, asOf: Date) => Promise<Buffer>;
}): Router {
  const audit = new AuditLog(deps.clock);
  const render = async (grant: DocumentGrant): Promise<RenderedDocument | undefined> => {
    if (grant.kind === 'form') return renderCaseDocument(deps.db, grant.caseId, grant.document ?? 'form', grant.format, deps.env ?? process.env);
    if (grant.kind === 'ledger') return renderLedger(deps.db, grant.filter, grant.fileName, { asOf: deps.clock.now() });
    if (!deps.analysis) return undefined;
    return { fileName: grant.fileName, contentType: CONTENT_TYPES.xlsx, content: await deps.analysis(grant.year, deps.clock.now()) };
  };
  const router = new Router();
  router.get('/documents/:token', async (ctx) => {
    ctx.set('cache-control', 'no-store');
    ctx.set('referrer-policy', 'no-referrer');
    const grant = await documentGrant(deps.state, ctx.params.token);
    const doc = grant && (await render(grant));
    if (!grant || !doc) {
      ctx.status = 404;
      ctx.body = { error: 'not found' };
      return;
    }
    await audit.append(deps.db, {
      actorId: grant.personId,
      channel: grant.channel,
      action: 'document.exported',
      subject: grant.kind === 'form' ? `case:${grant.caseId}` : grant.kind === 'analysis' ? `analysis:${grant.year}` : 'ledger',
      detail: {
        fileName: doc.fileName,
        format: grant.format,
        bytes: doc.content.length,
        ...(grant.kind === 'ledger' ? { filter: grant.filter } : grant.kind === 'form' ? { document: grant.document ?? 'form' } : {}),
      },
    });
    ctx.set('x-content-type-options', 'nosniff');
    ctx.type = doc.contentType;
    ctx.attachment(doc.fileName, { fallback: asciiFileName(doc.fileName) });
    ctx.body = doc.content;
  });
  return router;
}
