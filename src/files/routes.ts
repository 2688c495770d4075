import Router from '@koa/router';
import type { Context } from 'koa';
import type { DataSource } from 'typeorm';
import type { Clock } from '../clock';
import { AuditLog } from '../domain/audit';
import { asciiFileName } from '../documents/routes';
import type { Services } from '../services';
import type { StateStore } from '../state/stateStore';
import { fileGrant } from './fileLinks';
import { displayName } from './receivedFile';

/**
 * GET /files/:token: one file of a case, or the case's 归档 package (made from the records now),
 * for the reader the link was given to. The file must still be one of the case's; each download
 * is audited (file.downloaded, archive.downloaded); an unknown or expired token is a plain 404.
 */
export function fileRoutes(deps: { db: DataSource; state: StateStore; clock: Clock; services: Services }): Router {
  const audit = new AuditLog(deps.clock);
  const { cases, caseFiles, archives, roster } = deps.services;
  const router = new Router();
  router.get('/files/:token', async (ctx) => {
    ctx.set('cache-control', 'no-store');
    ctx.set('referrer-policy', 'no-referrer');
    const grant = await fileGrant(deps.state, ctx.params.token);
    const c = grant && (await cases.get(grant.caseId));
    const reader = grant && (await roster.person(grant.personId));
    if (!grant || !c || !reader) return notFound(ctx);
    if (grant.kind === 'archive') {
      const pack = await archives.produce(c, reader);
      await audit.append(deps.db, {
        actorId: reader.id,
        channel: grant.channel,
        action: 'archive.downloaded',
        subject: `case:${c.id}`,
        detail: { fileName: pack.fileName, bytes: pack.zip.length, entries: pack.manifest.entries.length, missing: pack.manifest.missing.length },
      });
      return send(ctx, pack.fileName, 'application/zip', pack.zip);
    }
    const attached = (await caseFiles.of(c)).find((a) => a.file?.id === grant.fileId)?.file;
    const content = attached && (await deps.services.files.content(attached));
    if (!attached || !content) return notFound(ctx);
    await audit.append(deps.db, {
      actorId: reader.id,
      channel: grant.channel,
      action: 'file.downloaded',
      subject: `file:${attached.id}`,
      detail: { caseId: c.id, number: c.number, fileName: displayName(attached), bytes: content.length },
    });
    return send(ctx, displayName(attached), attached.contentType ?? 'application/octet-stream', content);
  });
  return router;
}

function notFound(ctx: Context): void {
  ctx.status = 404;
  ctx.body = { error: 'not found' };
}

function send(ctx: Context, fileName: string, contentType: string, content: Buffer): void {
  ctx.set('x-content-type-options', 'nosniff');
  // Served as a download, never rendered in the page: a sent file could be HTML.
  ctx.type = contentType;
  ctx.attachment(fileName, { fallback: asciiFileName(fileName) });
  ctx.body = content;
}
