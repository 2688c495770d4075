import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { PlatformApiError } from '../../errors';
import { readJson } from '../../http/middleware';
import { clearCookie, readCookie, setCookie } from '../cookies';
import { escapeHtml, renderPage } from '../pages';
import type { SignInChannel, SignInFlow } from '../sessions';
import type { WebDeps } from '../webDeps';
import { DINGTALK_SIGNIN_SCRIPT } from './dingtalkScript';
import { safeNext } from './pendingSignIns';

const PLATFORM_DOWN = '暂时无法连接{messenger}完成登录，请稍后重试。';
const EXPIRED = '登录链接已失效或已使用过，请重新登录。';

/**
 * Sign-in and sign-out: the messengers' OAuth redirects and their callbacks, the 钉钉免登 page,
 * the chooser at /login. Every endpoint that starts or finishes a sign-in counts as an attempt of
 * the client's address.
 */
export function authRoutes(deps: WebDeps): Router {
  const router = new Router();
  const { wecom, dingtalk, pending, cookies } = deps;
  const address = (ctx: Context) => ctx.req.socket.remoteAddress ?? '';

  const limited = async (ctx: Context, next: Next) => {
    if (await deps.limit.take(address(ctx))) return next();
    deps.logger.warn({ address: address(ctx) }, 'sign-in attempts over the limit');
    renderPage(ctx, { status: 429, title: '请稍后再试', body: `<p>登录尝试过于频繁，请 ${deps.web.signInWindowMinutes} 分钟后再试。</p>` });
  };

  const retry = (ctx: Context, status: number, message: string) =>
    renderPage(ctx, { status, title: '未能登录', body: `<p>${escapeHtml(message)}</p><a class="button" href="/login">重新登录</a>` });

  async function begin(ctx: Context, channel: SignInChannel, flow: SignInFlow): Promise<string> {
    const { state, binding } = await pending.begin({ channel, flow, next: safeNext(ctx.query.next) });
    setCookie(ctx, cookies, 'signin', binding, 10 * 60 * 1000);
    return state;
  }

  /** The last step of every flow: a session for a person on the roster, or a refusal page. */
  async function finish(ctx: Context, channel: SignInChannel, flow: SignInFlow, userId: string | undefined, next: string): Promise<boolean> {
    const outcome = await deps.signIn.complete(channel, flow, userId, address(ctx));
    clearCookie(ctx, cookies, 'signin');
    if ('refused' in outcome) {
      retry(ctx, 403, outcome.refused);
      return false;
    }
    setCookie(ctx, cookies, 'session', outcome.token, deps.sessions.lifetimeMs);
    ctx.redirect(next);
    return true;
  }

  async function exchange<T>(ctx: Context, messenger: string, work: () => Promise<T>): Promise<T | typeof FAILED> {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof PlatformApiError)) throw error;
      deps.logger.warn({ reason: error.message }, 'sign-in code exchange failed');
      retry(ctx, 502, PLATFORM_DOWN.replace('{messenger}', messenger));
      return FAILED;
    }
  }

  router.get('/', (ctx) => ctx.redirect('/console/'));

  router.get('/login', (ctx) => {
    const next = safeNext(ctx.query.next);
    const query = `next=${encodeURIComponent(next)}`;
    const agent = ctx.get('user-agent');
    // Inside a messenger the sign-in is silent: its own identity, no button to press.
    if (wecom && /wxwork/i.test(agent)) return ctx.redirect(`/auth/wecom/start?flow=oauth&${query}`);
    if (dingtalk?.corpId && /DingTalk/i.test(agent)) return ctx.redirect(`/auth/dingtalk/jsapi?${query}`);
    const buttons = [
      wecom && `<a class="button" href="/auth/wecom/start?flow=qr&${query}">企业微信扫码登录</a>`,
      dingtalk && `<a class="button" href="/auth/dingtalk/start?${query}">钉钉扫码登录</a>`,
      deps.devSignIn?.url && `<a class="button secondary" href="${escapeHtml(`${deps.devSignIn.url}?${query}`)}">开发登录（仅本机）</a>`,
    ].filter(Boolean);
    renderPage(ctx, {
      title: '登录担当',
      body: [
        '<p>请使用企业微信或钉钉登录。在企业微信、钉钉的工作台中打开本系统时会自动登录。</p>',
        ...(buttons.length > 0 ? buttons : ['<p class="note">尚未配置企业微信或钉钉，请联系系统管理员。</p>']),
        ctx.query.signedOut ? '<p class="note">您已退出登录。</p>' : '',
      ].join('\n'),
    });
  });

  if (wecom) {
    router.get('/auth/wecom/start', limited, async (ctx) => {
      const flow = ctx.query.flow === 'oauth' ? 'oauth' : 'qr';
      const state = await begin(ctx, 'wecom', flow);
      ctx.redirect(wecom.authorizeUrl(flow, `${deps.publicBaseUrl}/auth/wecom/callback`, state));
    });
    router.get('/auth/wecom/callback', limited, async (ctx) => {
      const sign = await pending.take(String(ctx.query.state ?? ''), readCookie(ctx, cookies, 'signin'));
      if (!sign || sign.channel !== 'wecom') return retry(ctx, 400, EXPIRED);
      const code = String(ctx.query.code ?? '');
      if (!code || code.length > 512) return retry(ctx, 400, '企业微信没有完成授权，请重新登录。');
      const userId = await exchange(ctx, '企业微信', () => wecom.userId(code));
      if (userId !== FAILED) await finish(ctx, 'wecom', sign.flow, userId, sign.next);
    });
  }

  if (dingtalk) {
    router.get('/auth/dingtalk/start', limited, async (ctx) => {
      const state = await begin(ctx, 'dingtalk', 'qr');
      ctx.redirect(dingtalk.authorizeUrl(`${deps.publicBaseUrl}/auth/dingtalk/callback`, state));
    });
    router.get('/auth/dingtalk/callback', limited, async (ctx) => {
      const sign = await pending.take(String(ctx.query.state ?? ''), readCookie(ctx, cookies, 'signin'));
      if (!sign || sign.channel !== 'dingtalk' || sign.flow !== 'qr') return retry(ctx, 400, EXPIRED);
      const code = String(ctx.query.authCode ?? ctx.query.code ?? '');
      if (!code || code.length > 512) return retry(ctx, 400, '钉钉没有完成授权，请重新登录。');
      const userId = await exchange(ctx, '钉钉', () => dingtalk.userIdFromOAuthCode(code));
      if (userId !== FAILED) await finish(ctx, 'dingtalk', 'qr', userId, sign.next);
    });
    router.get('/auth/dingtalk/jsapi', limited, async (ctx) => {
      if (!dingtalk.corpId) return retry(ctx, 404, '钉钉免登尚未配置（DINGTALK_CORP_ID），请改用钉钉扫码登录。');
      const state = await begin(ctx, 'dingtalk', 'jsapi');
      renderPage(ctx, {
        title: '钉钉免登',
        body: `<div hidden data-corp-id="${escapeHtml(dingtalk.corpId)}" data-state="${escapeHtml(state)}"></div><p id="status" role="status">正在通过钉钉登录……</p>`,
        scripts: [dingtalk.jsapiUrl, '/auth/assets/dingtalk-signin.js'],
      });
    });
    router.post('/auth/dingtalk/jsapi', limited, async (ctx) => {
      const body = (await readJson(ctx, 4096)) as { code?: unknown; state?: unknown } | null;
      const sign = await pending.take(String(body?.state ?? ''), readCookie(ctx, cookies, 'signin'));
      const refuse = (status: number, error: string) => {
        ctx.status = status;
        ctx.body = { error };
      };
      if (!sign || sign.channel !== 'dingtalk' || sign.flow !== 'jsapi') return refuse(400, EXPIRED);
      const code = typeof body?.code === 'string' && body.code.length <= 512 ? body.code : '';
      if (!code) return refuse(400, '钉钉没有提供登录凭证，请重新打开。');
      let userId: string | undefined;
      try {
        userId = await dingtalk.userIdFromAuthCode(code);
      } catch (error) {
        if (!(error instanceof PlatformApiError)) throw error;
        return refuse(502, PLATFORM_DOWN.replace('{messenger}', '钉钉'));
      }
      const outcome = await deps.signIn.complete('dingtalk', 'jsapi', userId, address(ctx));
      clearCookie(ctx, cookies, 'signin');
      if ('refused' in outcome) return refuse(403, outcome.refused);
      setCookie(ctx, cookies, 'session', outcome.token, deps.sessions.lifetimeMs);
      ctx.body = { next: sign.next };
    });
    router.get('/auth/assets/dingtalk-signin.js', (ctx) => {
      ctx.type = 'application/javascript';
      ctx.set('cache-control', 'public, max-age=300');
      ctx.body = DINGTALK_SIGNIN_SCRIPT;
    });
  }

  router.post('/auth/logout', async (ctx) => {
    const token = readCookie(ctx, cookies, 'session');
    const session = await deps.sessions.get(token);
    if (!session || !token) return ctx.throw(401, '未登录');
    if (!deps.csrf.valid(ctx, session)) ctx.throw(403, '请求来源无法验证，请刷新页面后重试');
    await deps.signIn.signOut(token, session, address(ctx));
    clearCookie(ctx, cookies, 'session');
    ctx.body = { next: '/login?signedOut=1' };
  });

  return router;
}

const FAILED = Symbol('failed');
