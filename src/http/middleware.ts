import { randomUUID } from 'node:crypto';
import type { Context, Middleware, Next } from 'koa';
import getRawBody from 'raw-body';
import type { Logger } from '../logger';

/** What every request carries in `ctx.state`; routes add their own (the signed-in viewer). */
export class AppState {
  [name: string]: unknown;
  private made?: Logger;

  constructor(
    private readonly logger: Logger,
    readonly requestId: string,
    /** Whether debug lines are logged: a route checks it before it makes one (and the logger). */
    readonly debug: boolean,
  ) {}

  /** The request's logger, made on first use: most requests log nothing at the production level. */
  get log(): Logger {
    return (this.made ??= this.logger.child({ requestId: this.requestId }));
  }
}

export type AppContext = Context & { state: AppState };

const REQUEST_ID = /^[\w.-]{1,64}$/;

export function requestContext(logger: Logger): Middleware {
  return async (ctx, next: Next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    // A class rather than properties defined on Koa's plain object: one shape for every request.
    const state = new AppState(logger, requestId, logger.isLevelEnabled('debug'));
    ctx.state = state;
    ctx.set('x-request-id', requestId);
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      // The route's pattern, not the path: paths can carry secrets (a download link's token).
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? ctx.path;
      // An answered request is worth a line only when debugging; a refused or failed one always is.
      const level = ctx.status < 400 ? 'debug' : 'info';
      if (logger.isLevelEnabled(level)) state.log[level]({ method: ctx.method, route, status: ctx.status, ms: Math.round(ms * 10) / 10 }, 'request');
    }
  };
}

/**
 * The one error handler. Errors marked `expose` (http-errors, UserFacingError) show their message;
 * anything else is logged with its stack and answered with a bare status, never the stack.
 */
export function errorHandler(): Middleware {
  return async (ctx, next: Next) => {
    try {
      await next();
    } catch (error) {
      const e = error as { status?: number; statusCode?: number; expose?: boolean; message?: string };
      const status = e.status ?? e.statusCode ?? 500;
      const validStatus = Number.isInteger(status) && status >= 400 && status < 600 ? status : 500;
      const log: Logger = ctx.state.log;
      if (validStatus >= 500) log.error({ err: error }, 'request failed');
      else log.warn({ status: validStatus, reason: e.message }, 'request refused');
      ctx.status = validStatus;
      ctx.body = { error: e.expose && validStatus < 500 ? e.message : validStatus >= 500 ? 'internal error' : 'bad request' };
    }
  };
}

/** The methods the routers implement; they would answer any other (PROPFIND, TRACE …) with a 501. */
const ROUTED_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * A method no route implements is the client's mistake (a scanner's, usually): 405 rather than the
 * router's 501, so that a 5xx keeps meaning a failure of ours.
 */
export function refuseUnknownMethods(): Middleware {
  return async (ctx, next: Next) => {
    if (ROUTED_METHODS.has(ctx.method)) return next();
    ctx.status = 405;
    ctx.set('allow', 'GET, HEAD, POST, OPTIONS');
    ctx.body = { error: 'method not allowed' };
  };
}

/**
 * Reads the request body as bytes, refusing it with 413 past `limit`. Webhooks need the exact
 * bytes (signatures), so no parser runs before this.
 */
export async function readBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) ctx.throw(413, 'request body too large');
  try {
    return await getRawBody(ctx.req, { limit, length: ctx.get('content-length') || undefined });
  } catch (error) {
    const e = error as { type?: string; status?: number };
    if (e.type === 'entity.too.large') ctx.throw(413, 'request body too large');
    ctx.throw(e.status && e.status < 500 ? e.status : 400, 'unreadable request body');
  }
}

/** The body as JSON; a 400 saying `invalid` (a page's own words, or the API's) when it is not. */
export async function readJson(ctx: Context, limit: number, invalid = 'body is not valid JSON'): Promise<unknown> {
  const raw = await readBody(ctx, limit);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return ctx.throw(400, invalid);
  }
}
