import Router from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { NotAllowedError } from '../../errors';
import { viewerOf, type Viewer } from '../access';
import { readCookie } from '../cookies';
import type { WebDeps } from '../webDeps';

export type ApiContext = Context & { state: { viewer: Viewer } };
export type Rule = (viewer: Viewer) => boolean | Promise<boolean>;

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in viewer of an API request, or a 401 that the page answers by going to /login. */
export function authenticated(deps: WebDeps): Middleware {
  return async (ctx: Context, next: Next) => {
    const token = readCookie(ctx, deps.cookies, 'session');
    const session = await deps.sessions.get(token);
    const person = session && (await deps.roster.person(session.personId));
    // Someone who left the roster since signing in is signed out with it.
    if (!session || !person || person.leftOn !== null) {
      ctx.status = 401;
      ctx.body = { error: '请先登录', login: '/login' };
      return;
    }
    if (!SAFE.has(ctx.method) && !deps.csrf.valid(ctx, session)) ctx.throw(403, '请求来源无法验证，请刷新页面后重试');
    ctx.state.viewer = await viewerOf(deps.roster, person, session);
    await next();
  };
}

/**
 * Lets the request through when the viewer's roles allow it; otherwise a 403 that says so, and an
 * audit line naming who asked for what (`api.refused`), as every refusal in chat has.
 */
export function allow(deps: WebDeps, rule: Rule, what: string): Middleware {
  return async (ctx: Context, next: Next) => {
    const viewer = (ctx as ApiContext).state.viewer;
    if (await rule(viewer)) return next();
    await deps.audit.append(deps.db, {
      actorId: viewer.person.id,
      channel: 'web',
      action: 'api.refused',
      subject: `${ctx.method} ${(ctx as { _matchedRoute?: string })._matchedRoute ?? ctx.path}`.slice(0, 100),
    });
    throw new NotAllowedError(`您无权${what}。`);
  };
}

export function apiRouter(deps: WebDeps, parts: ((router: Router) => void)[]): Router {
  const router = new Router({ prefix: '/api' });
  router.use(authenticated(deps));
  for (const part of parts) part(router);
  // Anything else under /api is a JSON 404, not the router's empty answer.
  router.all('/{*rest}', (ctx) => {
    ctx.status = 404;
    ctx.body = { error: 'not found' };
  });
  return router;
}

/** A query parameter as one trimmed string ('' when absent or repeated). */
export const param = (ctx: Context, name: string): string => {
  const v = ctx.query[name];
  return typeof v === 'string' ? v.trim().slice(0, 200) : '';
};

/** The year asked for, this year by default; a 400 for anything that is not one. */
export function yearParam(ctx: Context, thisYear: number): number {
  const text = param(ctx, 'year');
  if (text === '') return thisYear;
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < 2000 || year > 2100) ctx.throw(400, '年份应是 2000 到 2100 之间的四位数字');
  return year;
}

/** Sends an Excel workbook as a download. */
export function sendWorkbook(ctx: Context, fileName: string, bytes: Buffer): void {
  ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  ctx.set('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`);
  ctx.body = bytes;
}

export interface PageRequest {
  page: number;
  pageSize: number;
}

/** `page` (from 1) and `pageSize` (1 to 100, `pageSize` by default); a 400 for anything else. */
export function pageParams(ctx: Context, defaultSize = 20): PageRequest {
  const [page, size] = ['page', 'pageSize'].map((n) => param(ctx, n));
  if (page && !/^[1-9]\d{0,5}$/.test(page)) ctx.throw(400, '页码应是从 1 开始的整数');
  if (size && (!/^[1-9]\d{0,2}$/.test(size) || Number(size) > 100)) ctx.throw(400, '每页条数应是 1 到 100 之间的整数');
  return { page: page ? Number(page) : 1, pageSize: size ? Number(size) : defaultSize };
}

/** One page of a list and how long the whole list is. */
export function pageOf<T>(all: T[], { page, pageSize }: PageRequest): { rows: T[]; total: number; page: number; pageSize: number } {
  return { rows: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
}
