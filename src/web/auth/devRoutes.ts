import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { readBody } from '../../http/middleware';
import { fromLoopback } from './loopback';
import { readCookie, setCookie, clearCookie } from '../cookies';
import { escapeHtml, renderPage } from '../pages';
import type { WebDeps } from '../webDeps';
import { safeNext } from './pendingSignIns';

/**
 * The development sign-in: pick anyone on the roster. Like the simulator it lets anyone be anyone,
 * so it exists only where the simulator does (embedded development, or SIMULATOR_ENABLED) and
 * answers only this machine: loopback, not passed on by a reverse proxy.
 */
export function devSignInRoutes(deps: WebDeps): Router {
  const router = new Router({ prefix: '/auth/dev' });
  router.use(async (ctx: Context, next: Next) => {
    if (!fromLoopback(ctx)) ctx.throw(403, 'the development sign-in answers only on localhost');
    await next();
  });

  router.get('/', async (ctx) => {
    const { state, binding } = await deps.pending.begin({ channel: 'dev', flow: 'dev', next: safeNext(ctx.query.next) });
    setCookie(ctx, deps.cookies, 'signin', binding, 10 * 60 * 1000);
    const [people, units] = await Promise.all([deps.roster.activePeople(), deps.roster.units()]);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const options = people.map((p) => `<option value="${escapeHtml(p.code)}">${escapeHtml(`${p.code} ${p.name}（${unitName.get(p.unitId) ?? ''} ${p.post}）`)}</option>`);
    renderPage(ctx, {
      title: '开发登录',
      body: `<p class="note">仅供本机开发和演示：选择名册中的任何一人登录。生产环境中不存在此页面。</p>
<form method="post" action="/auth/dev">
<input type="hidden" name="state" value="${escapeHtml(state)}">
<label for="person">登录为</label>
<select id="person" name="person">${options.join('')}</select>
<button type="submit">登录</button>
</form>`,
    });
  });

  router.post('/', async (ctx) => {
    if (!(await deps.limit.take(ctx.req.socket.remoteAddress ?? ''))) ctx.throw(429, '登录尝试过于频繁，请稍后再试');
    const form = new URLSearchParams((await readBody(ctx, 4096)).toString('utf8'));
    const sign = await deps.pending.take(form.get('state') ?? '', readCookie(ctx, deps.cookies, 'signin'));
    if (!sign || sign.channel !== 'dev') {
      return renderPage(ctx, { status: 400, title: '未能登录', body: '<p>登录表单已失效，请重新打开。</p><a class="button" href="/auth/dev">重新登录</a>' });
    }
    const outcome = await deps.signIn.complete('dev', 'dev', (form.get('person') ?? '').slice(0, 64), ctx.req.socket.remoteAddress ?? '');
    clearCookie(ctx, deps.cookies, 'signin');
    if ('refused' in outcome) return renderPage(ctx, { status: 403, title: '未能登录', body: `<p>${escapeHtml(outcome.refused)}</p>` });
    setCookie(ctx, deps.cookies, 'session', outcome.token, deps.sessions.lifetimeMs);
    ctx.redirect(sign.next);
  });
  return router;
}
