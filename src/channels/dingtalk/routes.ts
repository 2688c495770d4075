import { createHash, randomBytes } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { readBody, type AppState } from '../../http/middleware';
import type { StateStore } from '../../state/stateStore';
import type { InboundEvent } from '../port';
import { CallbackRefused } from '../shared/callbackRefused';
import { MAX_SKEW_MS, openEvent, sealReply, timestampMs, verifyCardCallback, verifyRobotCallback, type EventKeys } from './callbackCrypto';
import { clickIdentity, type PendingCheck } from './clickIdentity';
import type { DingtalkConfig } from './config';
import { cardInbound, robotInbound, type Inbound } from './inbound';

export interface DingtalkRouteDeps {
  config: DingtalkConfig;
  /** Where each signature is marked as used, shared by every instance. */
  state: StateStore;
  /** Whether an event is in the inbox and not handled yet (a click's retry, see clickIdentity). */
  pending: PendingCheck;
  /** Durably records the event; DingTalk is answered only once this resolves. */
  receive(event: InboundEvent, dedupeKey: string): Promise<'accepted' | 'duplicate'>;
  now(): Date;
  bodyLimitBytes: number;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new CallbackRefused(400, 'request body is not JSON');
  }
}

async function jsonBody(ctx: Context, limit: number): Promise<unknown> {
  return parseJson(await readBody(ctx, limit));
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * The robot's `sign` and the card's `x-ddpaas-signature` sign the timestamp only, so a captured pair
 * would pass with any body for as long as the timestamp is fresh (an hour either side). Each pair is
 * taken once, across instances, together with the body it came with (once the body is known to be
 * well-formed, so that garbage never uses a pair up): DingTalk posting the same
 * request again passes (the inbox knows it already), the same headers with another body are a
 * replay and refused. The mark lives as long as the timestamp could still pass.
 */
async function claimSignature(state: StateStore, what: string, timestamp: string, signature: string, body: Buffer): Promise<void> {
  const key = `dingtalk:signature:${what}:${sha256(`${timestamp}\n${signature}`)}`;
  const digest = sha256(body);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (await state.setIfAbsent(key, digest, 2 * MAX_SKEW_MS)) return;
    const first = await state.get(key);
    if (first === digest) return;
    if (first !== undefined) throw new CallbackRefused(401, `${what} signature was already used for another request (a replay)`);
  }
  throw new CallbackRefused(401, `${what} signature could not be claimed`);
}

function header(ctx: Context, name: string): string | undefined {
  return ctx.get(name) || undefined;
}

function queryParam(ctx: Context, names: string[], pattern: RegExp): string {
  for (const name of names) {
    const value = ctx.query[name];
    if (typeof value === 'string' && pattern.test(value)) return value;
  }
  throw new CallbackRefused(400, `query parameter ${names[0]} is missing or malformed`);
}

/**
 * DingTalk's HTTP mode. `/dingtalk/robot` takes the robot's messages (timestamp + sign headers),
 * `/dingtalk/card` the interactive cards' clicks (x-ddpaas-signature headers) and
 * `/dingtalk/events` the encrypted event subscription pushes. A refusal (401, 400, 413) happens
 * before anything is recorded; an accepted message is answered as soon as it is in the inbox.
 */
export function dingtalkRoutes(deps: DingtalkRouteDeps): Router {
  const { config } = deps;
  const router = new Router({ prefix: '/dingtalk' });

  const record = async (ctx: Context, inbound: Inbound | undefined, what: string) => {
    const log = (ctx.state as AppState).log;
    if (!inbound) {
      log.debug(`dingtalk ${what} of a kind the bot does not handle; acknowledged`);
      return;
    }
    const outcome = await deps.receive(inbound.event, inbound.dedupeKey);
    log.info({ kind: inbound.event.kind, outcome }, `dingtalk ${what} received`);
  };

  router.post('/robot', async (ctx) => {
    const [timestamp, sign] = [header(ctx, 'timestamp'), header(ctx, 'sign')];
    verifyRobotCallback(timestamp, sign, config.appSecret, deps.now());
    const raw = await readBody(ctx, deps.bodyLimitBytes);
    const inbound = robotInbound(parseJson(raw));
    await claimSignature(deps.state, 'robot callback', timestamp!, sign!, raw);
    await record(ctx, inbound, 'robot message');
    ctx.status = 200;
    ctx.body = '';
  });

  const cardCallback = config.cardCallback;
  if (cardCallback) {
    router.post('/card', async (ctx) => {
      const [timestamp, signature] = [header(ctx, 'x-ddpaas-signature-timestamp'), header(ctx, 'x-ddpaas-signature')];
      verifyCardCallback(timestamp, signature, cardCallback.secret, deps.now());
      const raw = await readBody(ctx, deps.bodyLimitBytes);
      // DingTalk's clock, as for robot messages (createAt): the click takes its place among them.
      const click = cardInbound(parseJson(raw), new Date(timestampMs(timestamp!)));
      await claimSignature(deps.state, 'card callback', timestamp!, signature!, raw);
      await record(ctx, click && { event: click.event, dedupeKey: await clickIdentity(deps.state, click, deps.pending) }, 'card click');
      // An empty answer leaves the card as it is; the update follows through the outbox.
      ctx.body = {};
    });
  }

  const events = config.events;
  if (events) {
    const keys: EventKeys = { token: events.token, aesKey: events.aesKey, receiveId: config.appKey };
    router.post('/events', async (ctx) => {
      const signature = queryParam(ctx, ['msg_signature', 'signature'], /^[0-9a-fA-F]{40}$/);
      const timestamp = queryParam(ctx, ['timestamp', 'timeStamp'], /^\d{1,16}$/);
      const nonce = queryParam(ctx, ['nonce'], /^[\w.-]{1,64}$/);
      const body = await jsonBody(ctx, deps.bodyLimitBytes);
      const encrypt = (body as { encrypt?: unknown } | null)?.encrypt;
      if (typeof encrypt !== 'string' || encrypt.length === 0) throw new CallbackRefused(400, 'request body lacks encrypt');
      const plaintext = openEvent(keys, { signature, timestamp, nonce, encrypt }, deps.now());
      let eventType: unknown;
      try {
        eventType = (JSON.parse(plaintext) as { EventType?: unknown }).EventType;
      } catch {
        throw new CallbackRefused(400, 'decrypted event is not JSON');
      }
      // check_url is the handshake made when the URL is saved; no other event changes anything here.
      (ctx.state as AppState).log.info({ eventType: typeof eventType === 'string' ? eventType.slice(0, 64) : undefined }, 'dingtalk event acknowledged');
      ctx.body = sealReply(keys, String(deps.now().getTime()), randomBytes(8).toString('hex'));
    });
  }

  return router;
}
