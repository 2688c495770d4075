import Router from '@koa/router';
import type { Context } from 'koa';
import { readBody, type AppState } from '../../http/middleware';
import type { StateStore } from '../../state/stateStore';
import type { InboundEvent } from '../port';
import { CallbackRefused, openCallback, type SignedPayload } from './callbackCrypto';
import type { WecomConfig } from './config';
import { field, parseXml, toInbound } from './inboundXml';
import { rememberResponseCode } from './sender';

export interface WecomRouteDeps {
  config: WecomConfig;
  state: StateStore;
  /** Durably records the event; the platform is acknowledged only once this resolves. */
  receive(event: InboundEvent, dedupeKey: string): Promise<'accepted' | 'duplicate'>;
  now(): Date;
  bodyLimitBytes: number;
}

const PARAM = {
  msg_signature: /^[0-9a-fA-F]{40}$/,
  timestamp: /^\d{1,12}$/,
  nonce: /^[\w.-]{1,64}$/,
};

function signedQuery(ctx: Context): Omit<SignedPayload, 'encrypted'> {
  const values: Record<string, string> = {};
  for (const [name, pattern] of Object.entries(PARAM)) {
    const value = ctx.query[name];
    if (typeof value !== 'string' || !pattern.test(value)) throw new CallbackRefused(400, `query parameter ${name} is missing or malformed`);
    values[name] = value;
  }
  return { signature: values.msg_signature, timestamp: values.timestamp, nonce: values.nonce };
}

/**
 * The app's callback URL, `/wecom/callback`. GET is the URL check WeCom makes when the URL is
 * saved; POST carries messages and events, answered 200 with an empty body as soon as the event is
 * in the inbox (a 204 or a slow answer makes WeCom retry, and then count the URL as failing).
 */
export function wecomRoutes(deps: WecomRouteDeps): Router {
  const { config } = deps;
  const router = new Router({ prefix: '/wecom' });

  router.get('/callback', (ctx) => {
    const query = signedQuery(ctx);
    const echo = ctx.query.echostr;
    if (typeof echo !== 'string' || echo.length === 0 || echo.length > 1024) {
      throw new CallbackRefused(400, 'query parameter echostr is missing or malformed');
    }
    // The query parser reads an unescaped '+' as a space; base64 never contains a space.
    const encrypted = echo.replace(/ /g, '+');
    const plaintext = openCallback(config, { ...query, encrypted }, deps.now(), config.maxSkewSeconds);
    ctx.type = 'text/plain';
    ctx.body = plaintext;
  });

  router.post('/callback', async (ctx) => {
    const state = ctx.state as AppState;
    const query = signedQuery(ctx);
    const raw = await readBody(ctx, deps.bodyLimitBytes);
    const envelope = parseXml(raw.toString('utf8'), 'request body');
    const encrypted = field(envelope, 'Encrypt');
    if (!encrypted) throw new CallbackRefused(400, 'request body lacks <Encrypt>');
    const inbound = toInbound(openCallback(config, { ...query, encrypted }, deps.now(), config.maxSkewSeconds));
    if (!inbound) {
      if (state.debug) state.log.debug('wecom callback of a kind the bot does not handle; acknowledged');
    } else {
      // Stored before the event is queued: the reply closing the card may be sent right after.
      if (inbound.taskId && inbound.responseCode) await rememberResponseCode(deps.state, inbound.taskId, inbound.event.channelUserId, inbound.responseCode);
      const outcome = await deps.receive(inbound.event, inbound.dedupeKey);
      // Counted in dandang_callbacks_total; a line each only when debugging.
      if (state.debug) state.log.debug({ kind: inbound.event.kind, outcome }, 'wecom callback received');
    }
    ctx.status = 200;
    ctx.body = '';
  });

  return router;
}
