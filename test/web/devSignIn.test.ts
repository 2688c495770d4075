import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../src/container';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { databaseBackends, stateBackends, testClock } from '../support/backends';
import { createTestBot } from '../support/fixtures';
import { freePort, serve } from '../support/http';
import { WebClient } from '../support/webClient';

describe.each(databaseBackends.flatMap((d) => stateBackends.map((s) => [d, s] as const)))('the development sign-in (%s, %s)', (database, stateBackend) => {
  let bot: Bot;
  let server: { url: string; close(): Promise<void> };
  let admin: Awaited<ReturnType<typeof serve>>;
  let dispose: () => Promise<void>;
  const clock = testClock();

  beforeAll(async () => {
    const opened = await database.open();
    dispose = opened.dispose;
    await importRosterFile(opened.db, SAMPLE_ROSTER_PATH, clock);
    const port = await freePort();
    bot = await createTestBot({ db: opened.db, clock, state: stateBackend.open(clock) }, { PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
    const listening = bot.app.listen(port, '127.0.0.1');
    await new Promise<void>((resolve) => listening.once('listening', resolve));
    server = { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((resolve) => listening.close(() => resolve())) };
    admin = await serve(bot.adminApp);
  });
  afterAll(async () => {
    await server.close();
    await admin.close();
    await bot.close();
    await dispose();
  });

  const audit = async (action: string) => (await bot.db.query('SELECT actor_id, subject, detail FROM audit_log WHERE action = ? ORDER BY id', [action])) as { actor_id: number | null; subject: string; detail: string }[];

  it('signs 王芳 of 党群工作部 in on the admin listener, hands the session over to the public site, and signs her out again: both audited', async () => {
    const client = new WebClient(server.url, admin.url);
    // The public port has no chooser: only the hand-over, which wants a ticket from the admin listener.
    expect((await client.request('/auth/dev/')).status).toBe(404);
    expect((await client.request('/auth/dev', { method: 'POST', body: 'state=x&person=P005' })).status).toBe(404);
    expect((await client.request('/console/')).headers.get('location')).toBe('/login?next=%2Fconsole%2F');
    expect((await client.api('/me')).status).toBe(401);

    const answer = await client.devSignIn('P005');
    expect(answer.status).toBe(302);
    expect(answer.headers.get('location')).toBe('/console/');
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('dandang-session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);

    // The console itself: served to the signed-in only, under a policy that runs scripts of this origin alone.
    const page = await client.request('/console/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const script = /src="(\/console\/assets\/console-[\w-]+\.js)"/.exec(await (await client.request('/console/')).text())![1];
    const asset = await client.request(script, { headers: { 'accept-encoding': 'br' } });
    expect([asset.status, asset.headers.get('content-encoding'), asset.headers.get('cache-control')]).toEqual([200, 'br', 'public, max-age=31536000, immutable']);
    expect((await client.request('/console/assets/../../../package.json')).status).toBe(404);

    const me = (await (await client.api('/me')).json()) as { person: { name: string }; sections: string[]; signedInVia: string };
    expect(me.person.name).toBe('王芳');
    expect(me.sections).toEqual(['overview', 'cases', 'matters', 'exemptions', 'talks', 'roster', 'settings', 'audit']);
    expect(me.signedInVia).toBe('开发登录');
    expect((await audit('signin')).map((r) => r.subject)).toEqual(['person:P005']);

    // Without the CSRF token sign-out is refused and the session lives on.
    expect((await client.request('/auth/logout', { method: 'POST' })).status).toBe(403);
    expect((await client.api('/me')).status).toBe(200);
    const out = await client.request('/auth/logout', { method: 'POST', headers: { 'x-csrf-token': client.csrf } });
    expect(out.status).toBe(200);
    expect((await client.api('/me')).status).toBe(401);
    expect((await audit('signout')).map((r) => r.subject)).toEqual(['person:P005']);
  });

  it('refuses a code that is not on the roster, a form that was never handed out, and a hand-over ticket used twice or made up', async () => {
    const client = new WebClient(server.url, admin.url);
    const answer = await client.devSignIn('P999');
    expect(answer.status).toBe(403);
    expect(await answer.text()).toContain('您不在本系统的名册中');
    expect((await audit('signin.refused')).at(-1)?.subject).toBe('dev:P999');
    const forged = await client.request(`${admin.url}/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=xxxxxxxxxxxxxxxxxxxxxxxx&person=P005' });
    expect(forged.status).toBe(400);
    expect((await client.api('/me')).status).toBe(401);

    // A ticket is good once: the second browser to present it (a leaked URL) gets no session.
    const page = await (await client.request(`${admin.url}/auth/dev/`)).text();
    const state = /name="state" value="([^"]+)"/.exec(page)![1];
    const answer2 = await client.request(`${admin.url}/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `state=${state}&person=P005` });
    const handoff = answer2.headers.get('location')!;
    expect(handoff).toMatch(new RegExp(`^${server.url}/auth/dev/handoff\\?ticket=[\\w-]{32}$`));
    expect((await client.request(handoff)).status).toBe(302);
    const thief = new WebClient(server.url);
    const again = await thief.request(handoff);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('登录链接已失效或已使用过');
    expect((await thief.api('/me')).status).toBe(401);
    expect((await thief.request('/auth/dev/handoff?ticket=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(400);
  });
});
