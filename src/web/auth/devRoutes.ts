import Router from '@koa/router';
import { readBody } from '../../http/middleware';
import { randomToken } from '../sessions';
import { clearCookie, readCookie, setCookie, type CookiePolicy } from '../cookies';
import { escapeHtml, renderPage } from '../pages';
import type { WebDeps } from '../webDeps';
import { safeNext } from './pendingSignIns';

/** How long the hand-over from the admin listener to the public one may take: one redirect. */
const HANDOFF_TTL_MS = 60_000;
const handoffKey = (ticket: string) => `web:devhandoff:${ticket}`;
const USED = 'used';
/** The admin listener is plain HTTP on this host: its own cookie (the form's binding) is never Secure. */
const ADMIN_COOKIES: CookiePolicy = { secure: false };

/**
 * The development sign-in: pick anyone on the roster. Like the simulator it lets anyone be anyone,
 * so it is served where the simulator is, on the admin listener (ADMIN_PORT, bound to this host):
 * the public port has no such page, and no proxy header can open one. Never in production.
 *
 * The session belongs to the public site, so the admin listener hands it over: it signs the
 * person in and redirects to /auth/dev/handoff on PUBLIC_BASE_URL with a ticket good for one use
 * within a minute, which that page swaps for the session cookie.
 */
export function devSignInAdminRoutes(deps: WebDeps): Router {
  const router = new Router({ prefix: '/auth/dev' });

  router.get('/', async (ctx) => {
    const { state, binding } = await deps.pending.begin({ channel: 'dev', flow: 'dev', next: safeNext(ctx.query.next) });
    setCookie(ctx, ADMIN_COOKIES, 'signin', binding, 10 * 60 * 1000);
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
      forms: [new URL(deps.publicBaseUrl).origin],
    });
  });

  router.post('/', async (ctx) => {
    const address = ctx.req.socket.remoteAddress ?? '';
    if (!(await deps.limit.take(address))) ctx.throw(429, '登录尝试过于频繁，请稍后再试');
    const form = new URLSearchParams((await readBody(ctx, 4096)).toString('utf8'));
    const sign = await deps.pending.take(form.get('state') ?? '', readCookie(ctx, ADMIN_COOKIES, 'signin'));
    if (!sign || sign.channel !== 'dev') {
      return renderPage(ctx, { status: 400, title: '未能登录', body: '<p>登录表单已失效，请重新打开。</p><a class="button" href="/auth/dev">重新登录</a>' });
    }
    const outcome = await deps.signIn.complete('dev', 'dev', (form.get('person') ?? '').slice(0, 64), address);
    clearCookie(ctx, ADMIN_COOKIES, 'signin');
    if ('refused' in outcome) return renderPage(ctx, { status: 403, title: '未能登录', body: `<p>${escapeHtml(outcome.refused)}</p>` });
    const ticket = randomToken(24);
    await deps.state.set(handoffKey(ticket), JSON.stringify({ token: outcome.token, next: sign.next }), HANDOFF_TTL_MS);
    ctx.redirect(`${deps.publicBaseUrl}/auth/dev/handoff?ticket=${ticket}`);
  });
  return router;
}

/** The public side of the hand-over: a ticket from the admin listener, once, for the session cookie. */
export function devHandoffRoutes(deps: WebDeps): Router {
  const router = new Router();
  router.get('/auth/dev/handoff', async (ctx) => {
    const ticket = String(ctx.query.ticket ?? '');
    const raw = /^[\w-]{32}$/.test(ticket) ? await deps.state.get(handoffKey(ticket)) : undefined;
    const taken = raw && raw !== USED && (await deps.state.compareAndSet(handoffKey(ticket), raw, USED, HANDOFF_TTL_MS));
    if (!raw || !taken) return renderPage(ctx, { status: 400, title: '未能登录', body: '<p>登录链接已失效或已使用过，请在本机重新打开开发登录。</p>' });
    const { token, next } = JSON.parse(raw) as { token: string; next: string };
    setCookie(ctx, deps.cookies, 'session', token, deps.sessions.lifetimeMs);
    ctx.redirect(safeNext(next));
  });
  return router;
}
