import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import { z } from 'zod';
import { readJson } from '../../http/middleware';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { InboundEvent } from '../port';
import type { SimulatorMedia } from './media';
import { simulatorPage } from './page';
import type { SimulatorTranscript } from './transcript';

export interface SimulatorDeps {
  roster: RosterRepository;
  transcript: SimulatorTranscript;
  /** Receives an event as a webhook would, then waits until it is handled and the replies sent. */
  receiveAndSettle(event: InboundEvent, dedupeKey: string): Promise<void>;
  now(): Date;
  bodyLimitBytes: number;
  /** Where a sent file's bytes wait for the fetch job. */
  media: SimulatorMedia;
}

const messageBody = z.object({ as: z.string().min(1).max(64), text: z.string().min(1).max(4000) });
const attachmentBody = z.object({
  as: z.string().min(1).max(64),
  fileName: z.string().min(1).max(200),
  mediaKind: z.enum(['file', 'image', 'video']).default('file'),
  /** The file itself; without it the simulator sends a one-line text file naming it. */
  contentBase64: z.string().max(14_000_000).regex(/^[A-Za-z0-9+/]*={0,2}$/).optional(),
  contentType: z.string().regex(/^[\w.+-]+\/[\w.+-]+$/).max(128).optional(),
});
const clickBody = z.object({ as: z.string().min(1).max(64), cardId: z.string().min(1).max(128), action: z.string().min(1).max(256) });

/**
 * The simulator lets anyone speak as anyone. It is served on the admin listener only, which binds
 * to this host (the configuration refuses the simulator with ADMIN_HOST elsewhere): reachable from
 * this machine, whatever a reverse proxy in front of the main port passes on.
 */
export function simulatorRoutes(deps: SimulatorDeps): Router {
  const router = new Router({ prefix: '/simulator' });

  router.get('/', (ctx) => {
    ctx.type = 'html';
    ctx.body = simulatorPage;
  });

  router.get('/api/people', async (ctx) => {
    const [people, units] = await Promise.all([deps.roster.activePeople(), deps.roster.units()]);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    ctx.body = people.map((p) => ({ code: p.code, name: p.name, post: p.post, unit: unitName.get(p.unitId) ?? '' }));
  });

  router.get('/api/transcript', (ctx) => {
    const as = String(ctx.query.as ?? '');
    const after = Number(ctx.query.after ?? 0);
    if (!as || !Number.isFinite(after)) ctx.throw(400, 'as and after are required');
    ctx.body = { messages: deps.transcript.since(as, after) };
  });

  router.post('/api/messages', async (ctx) => {
    const body = messageBody.safeParse(await readJson(ctx, deps.bodyLimitBytes));
    if (!body.success) return ctx.throw(400, 'expected {"as": person code, "text": message}');
    const before = deps.transcript.lastSeq();
    deps.transcript.recordUser(body.data.as, body.data.text);
    const messageId = randomUUID();
    await deps.receiveAndSettle(
      { kind: 'text', channel: 'simulator', channelUserId: body.data.as, messageId, text: body.data.text, sentAt: deps.now().toISOString() },
      `msg:${messageId}`,
    );
    ctx.body = { messages: deps.transcript.since(body.data.as, before).filter((m) => m.from === 'bot') };
  });

  // Stands in for a file the person sends from their messenger: the event carries a media id, as
  // the platforms' do, and the bytes wait in SimulatorMedia for the fetch job.
  router.post('/api/attachments', async (ctx) => {
    const body = attachmentBody.safeParse(await readJson(ctx, deps.bodyLimitBytes));
    if (!body.success) return ctx.throw(400, 'expected {"as": person code, "fileName": ..., "mediaKind": "file" | "image" | "video", "contentBase64"?, "contentType"?}');
    const before = deps.transcript.lastSeq();
    deps.transcript.recordUser(body.data.as, `📎 ${body.data.fileName}`);
    const messageId = randomUUID();
    const { contentBase64, contentType, fileName } = body.data;
    deps.media.keep(`sim-${messageId}`, {
      bytes: contentBase64 === undefined ? Buffer.from(`模拟器发送的文件：${fileName}\n`) : Buffer.from(contentBase64, 'base64'),
      contentType: contentBase64 === undefined ? 'text/plain' : (contentType ?? 'application/octet-stream'),
    });
    await deps.receiveAndSettle(
      {
        kind: 'attachment', channel: 'simulator', channelUserId: body.data.as, messageId, mediaKind: body.data.mediaKind,
        mediaId: `sim-${messageId}`, fileName: body.data.fileName, sentAt: deps.now().toISOString(),
      },
      `msg:${messageId}`,
    );
    ctx.body = { messages: deps.transcript.since(body.data.as, before).filter((m) => m.from === 'bot') };
  });

  router.post('/api/clicks', async (ctx) => {
    const body = clickBody.safeParse(await readJson(ctx, deps.bodyLimitBytes));
    if (!body.success) return ctx.throw(400, 'expected {"as": person code, "cardId": ..., "action": button key}');
    const before = deps.transcript.lastSeq();
    await deps.receiveAndSettle(
      { kind: 'click', channel: 'simulator', channelUserId: body.data.as, cardId: body.data.cardId, action: body.data.action, sentAt: deps.now().toISOString() },
      `click:${randomUUID()}`,
    );
    ctx.body = { messages: deps.transcript.since(body.data.as, before).filter((m) => m.from === 'bot') };
  });

  return router;
}
