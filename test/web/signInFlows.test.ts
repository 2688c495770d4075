import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { WebClient } from '../support/webClient';
import { openWebStack, type WebStack } from '../support/webStack';

const WECOM_APP = 'Mozilla/5.0 (iPhone) AppleWebKit/605.1.15 wxwork/4.1.30 MicroMessenger/7.0.1 Language/zh';
const DINGTALK_APP = 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 AliApp(DingTalk/7.5.0) DingTalk/7.5.0';
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36';

const stacks = databaseBackends.map((database, i) => [database, stateBackends[Math.min(i, stateBackends.length - 1)]] as const);

/**
 * Each messenger's own way of signing in, driven through the whole redirect chain against the fake
 * WeCom and DingTalk: the authorize pages send the browser back with a code, the server exchanges
 * it, and the person on the roster gets a session; anyone else is refused, and both are audited.
 */
describe.each(stacks)('signing in with the messengers (%s, %s)', (database, stateBackend) => {
  let stack: WebStack;
  beforeAll(async () => {
    // Every request here comes from 127.0.0.1: the limit has its own test below.
    stack = await openWebStack(database, stateBackend, { WEB_SIGNIN_ATTEMPTS: '1000' });
  });
  afterAll(async () => stack?.close());

  const lastAudit = async (action: string) =>
    ((await stack.db.query('SELECT actor_id, subject, detail FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1', [action])) as { actor_id: number | null; subject: string; detail: string }[])[0];
  const meOf = async (client: WebClient) => ((await (await client.api('/me')).json()) as { person: { name: string }; signedInVia: string });

  it('inside WeCom: /login goes silently through 网页授权 (snsapi_base) and back, signed in as the member', async () => {
    stack.wecom.device = { userid: 'liuyang' };
    const client = new WebClient(stack.url);
    const { hops, response } = await client.follow('/login?next=/console/talks', { headers: { 'user-agent': WECOM_APP } });
    const authorize = new URL(hops[2].url);
    expect(hops.map((h) => `${h.status} ${new URL(h.url).pathname}`)).toEqual([
      '302 /login', '302 /auth/wecom/start', '302 /connect/oauth2/authorize', '302 /auth/wecom/callback', `${response.status} /console/talks`,
    ]);
    expect(hops[1].location).toMatch(/#wechat_redirect$/);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      appid: stack.wecom.corpId, response_type: 'code', scope: 'snsapi_base', agentid: String(stack.wecom.agentId), redirect_uri: `${stack.url}/auth/wecom/callback`,
    });
    const exchange = stack.wecom.calls('/cgi-bin/auth/getuserinfo');
    expect(exchange).toHaveLength(1);
    expect(exchange[0].query.code).toBe(new URL(hops[3].url).searchParams.get('code'));
    expect(await meOf(client)).toMatchObject({ person: { name: '刘洋' }, signedInVia: '企业微信网页授权' });
    expect(await lastAudit('signin')).toMatchObject({ subject: 'person:P012' });
  });

  it('on a desktop: 企业微信扫码登录 (Web 登录 of the self-built app) with the same code exchange', async () => {
    stack.wecom.device = { userid: 'wangfang01' };
    const client = new WebClient(stack.url);
    const chooser = await (await client.request('/login', { headers: { 'user-agent': DESKTOP } })).text();
    expect(chooser).toContain('企业微信扫码登录');
    expect(chooser).toContain('钉钉扫码登录');
    const { hops } = await client.follow('/auth/wecom/start?flow=qr&next=/console/');
    const login = new URL(hops[1].url);
    expect(login.pathname).toBe('/wwlogin/sso/login');
    expect(Object.fromEntries(login.searchParams)).toMatchObject({ login_type: 'CorpApp', appid: stack.wecom.corpId, agentid: String(stack.wecom.agentId), lang: 'zh' });
    expect(hops.at(-1)?.url).toBe(`${stack.url}/console/`);
    expect(await meOf(client)).toMatchObject({ person: { name: '王芳' }, signedInVia: '企业微信扫码登录' });
  });

  it('in the DingTalk workbench: 免登 — the JSAPI gives the page an auth code for the CorpId, the server turns it into the userid', async () => {
    stack.dingtalk.device = { userid: '0167200004' };
    const client = new WebClient(stack.url);
    const { hops, response } = await client.follow('/login?next=/console/audit', { headers: { 'user-agent': DINGTALK_APP } });
    expect(new URL(hops.at(-1)!.url).pathname).toBe('/auth/dingtalk/jsapi');
    const page = await response.text();
    expect(page).toContain(`data-corp-id="${stack.dingtalk.corpId}"`);
    expect(page).toContain(`<script src="${stack.dingtalk.url}/dingtalk.open.js"></script>`);
    expect(response.headers.get('content-security-policy')).toContain(`script-src 'self' ${stack.dingtalk.url}`);
    // The test plays the workbench: dd.getAuthCode's code, posted by the page's script.
    const state = /data-state="([^"]+)"/.exec(page)![1];
    const answer = await client.request('/auth/dingtalk/jsapi', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: stack.dingtalk.issueCode(), state }) });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ next: '/console/audit' });
    expect(await meOf(client)).toMatchObject({ person: { name: '吴海燕' }, signedInVia: '钉钉免登' });
    // The same code and state once more: both are spent.
    expect((await client.request('/auth/dingtalk/jsapi', { method: 'POST', body: JSON.stringify({ code: 'x', state }) })).status).toBe(400);
  });

  it('on a desktop: 钉钉扫码登录 — OAuth2 authCode → user token → unionId → userid in the organisation', async () => {
    stack.dingtalk.device = { userid: '0167200009' };
    const client = new WebClient(stack.url);
    const { hops } = await client.follow('/auth/dingtalk/start?next=/console/');
    const auth = new URL(hops[1].url);
    expect(auth.pathname).toBe('/oauth2/auth');
    expect(Object.fromEntries(auth.searchParams)).toMatchObject({ client_id: stack.dingtalk.appKey, response_type: 'code', scope: 'openid', prompt: 'consent', redirect_uri: `${stack.url}/auth/dingtalk/callback` });
    expect(new URL(hops[2].url).searchParams.get('authCode')).toMatch(/^dt-code-/);
    expect(stack.dingtalk.calls('/v1.0/oauth2/userAccessToken').at(-1)?.body).toMatchObject({ clientId: stack.dingtalk.appKey, clientSecret: stack.dingtalk.appSecret, grantType: 'authorization_code' });
    expect(stack.dingtalk.calls('/topapi/user/getbyunionid').at(-1)?.body).toEqual({ unionid: 'union-0167200009' });
    expect(await meOf(client)).toMatchObject({ person: { name: '刘洋' }, signedInVia: '钉钉扫码登录' });
  });

  it('refuses whoever is not on the roster: a WeCom outsider (openid only), a member the roster does not list, a DingTalk user of another organisation', async () => {
    for (const [device, start, reason] of [
      [() => (stack.wecom.device = { openid: 'o-outsider' }), '/auth/wecom/start?flow=qr', '您不是本单位通讯录中的成员'],
      [() => (stack.wecom.device = { userid: 'zhang.unknown' }), '/auth/wecom/start?flow=oauth', '您不在本系统的名册中'],
      [() => (stack.dingtalk.device = { unionId: 'union-elsewhere' }), '/auth/dingtalk/start', '您不是本单位通讯录中的成员'],
    ] as const) {
      device();
      const client = new WebClient(stack.url);
      const { response } = await client.follow(start);
      expect(response.status).toBe(403);
      expect(await response.text()).toContain(reason);
      expect((await client.api('/me')).status).toBe(401);
    }
    expect((await lastAudit('signin.refused')).subject).toBe('dingtalk:(not a member)');
    expect((await stack.db.query(`SELECT subject FROM audit_log WHERE action = 'signin.refused' ORDER BY id`)).map((r: { subject: string }) => r.subject)).toEqual(
      expect.arrayContaining(['wecom:(not a member)', 'wecom:zhang.unknown']),
    );
  });

  it('refuses a callback replayed, one from a browser that did not start the sign-in, and a forged state; a code exchange that fails changes nothing', async () => {
    stack.wecom.device = { userid: 'liuyang' };
    const client = new WebClient(stack.url);
    const start = await client.request('/auth/wecom/start?flow=qr');
    const login = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = login.headers.get('location')!;

    // Delivered to another browser (an attacker's link): no binding cookie, refused, and the sign-in is not spent.
    const other = new WebClient(stack.url);
    expect((await other.request(callback)).status).toBe(400);
    expect((await client.request(callback)).status).toBe(302);
    // The same callback again: spent.
    const again = await new WebClient(stack.url).request(callback);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('登录链接已失效或已使用过');
    expect((await client.request(`/auth/wecom/callback?code=abc&state=${'x'.repeat(32)}`)).status).toBe(400);

    const fresh = new WebClient(stack.url);
    stack.wecom.fail('/cgi-bin/auth/getuserinfo', 'http500');
    const { response } = await fresh.follow('/auth/wecom/start?flow=qr');
    expect(response.status).toBe(502);
    expect(await response.text()).toContain('暂时无法连接企业微信');
    expect((await fresh.api('/me')).status).toBe(401);
  });

  it('serves a session from any instance sharing the state store', async () => {
    stack.wecom.device = { userid: 'qianzhigang' };
    const client = new WebClient(stack.url);
    await client.follow('/auth/wecom/start?flow=qr');
    const second = await stack.another();
    try {
      const there = new WebClient(second.url);
      there.jar.store(second.url, new Response(null, { headers: { 'set-cookie': `dandang-session=${client.jar.get(stack.url, 'dandang-session')}` } }));
      expect(await meOf(there)).toMatchObject({ person: { name: '钱志刚' } });
    } finally {
      await second.close();
    }
  });

  it('sends back only to a path of this site after sign-in', async () => {
    stack.wecom.device = { userid: 'liuyang' };
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const { hops } = await new WebClient(stack.url).follow(`/auth/wecom/start?flow=qr&next=${encodeURIComponent(next)}`);
      expect(hops.at(-1)?.url).toBe(`${stack.url}/console/`);
    }
  });
});

describe('sign-in attempts, cookies behind HTTPS', () => {
  it('answers 429 past WEB_SIGNIN_ATTEMPTS per address and window, and again after the window', async () => {
    const stack = await openWebStack(databaseBackends[0], stateBackends[0], { WEB_SIGNIN_ATTEMPTS: '3', WEB_SIGNIN_WINDOW_MINUTES: '10' });
    try {
      const client = new WebClient(stack.url);
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await client.request('/auth/dingtalk/start')).status);
      expect(statuses).toEqual([302, 302, 302, 429]);
      expect(await (await client.request('/auth/wecom/start')).text()).toContain('登录尝试过于频繁，请 10 分钟后再试');
      stack.clock.advance(10 * 60 * 1000);
      expect((await client.request('/auth/wecom/start')).status).toBe(302);
    } finally {
      await stack.close();
    }
  });

  it('marks cookies Secure with the __Host- prefix when PUBLIC_BASE_URL is https', async () => {
    const stack = await openWebStack(databaseBackends[0], stateBackends[0], { PUBLIC_BASE_URL: 'https://dandang.example.gov.cn' });
    try {
      const start = await new WebClient(stack.url).request('/auth/wecom/start?flow=qr');
      expect(start.headers.getSetCookie()[0]).toMatch(/^__Host-dandang-signin=[\w-]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=600; Secure$/);
      expect(new URL(start.headers.get('location')!).searchParams.get('redirect_uri')).toBe('https://dandang.example.gov.cn/auth/wecom/callback');
    } finally {
      await stack.close();
    }
  });
});
