import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import busboy from 'busboy';
import type { Context } from 'koa';
import { addressOf } from '../bot/recipients';
import type { ChannelName, InboundEvent } from '../channels/port';
import type { Clock } from '../clock';
import type { Services } from '../services';
import type { StateStore } from '../state/stateStore';
import { safeFileName, sizeText } from './receivedFile';
import { uploadGrant } from './uploadLinks';
import { expiredPage, UPLOAD_PAGE_CSP, uploadPage } from './uploadPage';

interface Upload {
  fileName: string;
  contentType: string;
  bytes: Buffer;
  truncated: boolean;
}

/** One file from a multipart form, read up to `limit` bytes (more is marked truncated). */
function readUpload(ctx: Context, limit: number): Promise<Upload | undefined> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: ctx.req.headers, defParamCharset: 'utf8', limits: { files: 1, fileSize: limit, fields: 5 } });
    } catch {
      return resolve(undefined);
    }
    let upload: Upload | undefined;
    parser.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      const file: Upload = { fileName: info.filename ?? '', contentType: info.mimeType, bytes: Buffer.alloc(0), truncated: false };
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (file.truncated = true));
      stream.on('end', () => {
        file.bytes = Buffer.concat(chunks);
        upload = file;
      });
    });
    parser.on('close', () => resolve(upload));
    parser.on('error', reject);
    ctx.req.pipe(parser);
  });
}

/**
 * GET /upload/:token shows the upload page; POST stores the file at once and hands it to the
 * person's chat as an attachment on their messenger, so the step waiting for material takes it
 * exactly as a file sent there. An unknown or expired link gets a page saying so.
 */
export function uploadRoutes(deps: {
  services: Services;
  state: StateStore;
  clock: Clock;
  channels: readonly ChannelName[];
  receive(event: InboundEvent, dedupeKey: string): Promise<unknown>;
}): Router {
  const { files, roster } = deps.services;
  const router = new Router();
  const page = (ctx: Context, status: number, html: string) => {
    ctx.status = status;
    ctx.set('cache-control', 'no-store');
    ctx.set('referrer-policy', 'no-referrer');
    ctx.set('content-security-policy', UPLOAD_PAGE_CSP);
    ctx.type = 'html';
    ctx.body = html;
  };
  const personOf = async (token: string) => {
    const grant = await uploadGrant(deps.state, token);
    return grant && (await roster.person(grant.personId));
  };
  const maxText = sizeText(files.limits.maxFileBytes);

  router.get('/upload/:token', async (ctx) => {
    const person = await personOf(ctx.params.token);
    if (!person) return page(ctx, 404, expiredPage());
    page(ctx, 200, uploadPage({ name: person.name, maxText }));
  });

  router.post('/upload/:token', async (ctx) => {
    const person = await personOf(ctx.params.token);
    const address = person && addressOf(person, deps.channels);
    if (!person || !address) return page(ctx, 404, expiredPage());
    const fail = (text: string) => page(ctx, 400, uploadPage({ name: person.name, maxText, message: { ok: false, text } }));
    const upload = await readUpload(ctx, files.limits.maxFileBytes).catch(() => undefined);
    if (!upload || upload.bytes.length === 0) return fail('没有收到文件，请选择一个文件后再上传。');
    const fileName = safeFileName(upload.fileName);
    if (upload.truncated) return fail(`“${fileName}”超过了每个文件 ${maxText} 的上限（本区设置），未能保存。请压缩或拆分后重新上传。`);
    const now = deps.clock.now().toISOString();
    const mediaId = `upload-${randomUUID()}`;
    await files.storeUploaded({ channel: address.channel, mediaKind: 'file', mediaId, fileName, senderId: person.id, receivedAt: now }, upload.bytes, upload.contentType);
    await deps.receive(
      { kind: 'attachment', channel: address.channel, channelUserId: address.recipient, messageId: mediaId, mediaKind: 'file', mediaId, fileName, sentAt: now },
      `upload:${mediaId}`,
    );
    page(ctx, 200, uploadPage({ name: person.name, maxText, message: { ok: true, text: `已上传“${fileName}”（${sizeText(upload.bytes.length)}），请回到聊天查看。` } }));
  });
  return router;
}
