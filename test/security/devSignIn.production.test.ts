import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { createBot, type Bot } from '../../src/container';
import { createLogger } from '../../src/logger';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { MemoryStateStore } from '../../src/state/memoryStateStore';
import { databaseBackends, testClock } from '../support/backends';
import { serve } from '../support/http';
import { WebClient } from '../support/webClient';
import { TEST_DATA_KEYS } from '../support/fieldKeys';

/**
 * The development sign-in lets anyone be anyone, like the simulator, and follows its rule: absent
 * in production unless SIMULATOR_ENABLED, and even then answering no one but this machine.
 */
describe('the development sign-in in production', () => {
  let close = async () => {};
  afterEach(async () => close());

  async function production(extra: NodeJS.ProcessEnv): Promise<{ bot: Bot; url: string }> {
    const { db, dispose } = await databaseBackends[0].open();
    const clock = testClock();
    await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
    const bot = await createBot(loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS, LOG_LEVEL: 'silent', ...extra }), { db, clock, state: new MemoryStateStore(clock), logger: createLogger('silent') });
    const server = await serve(bot.app);
    close = async () => {
      await server.close();
      await bot.close();
      await dispose();
    };
    return { bot, url: server.url };
  }

  const signIns = async (bot: Bot) => Number((await bot.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'signin'`))[0].n);

  it('does not exist without SIMULATOR_ENABLED, and /login does not offer it', async () => {
    const { bot, url } = await production({});
    const client = new WebClient(url);
    expect((await client.request('/auth/dev/')).status).toBe(404);
    expect((await client.devSignIn('P005')).status).toBe(404);
    expect(await (await client.request('/login')).text()).not.toContain('开发登录');
    expect((await client.api('/me')).status).toBe(401);
    expect(await signIns(bot)).toBe(0);
  });

  it('switched on, refuses requests passed on by a proxy (from outside this machine) with a 403', async () => {
    const { bot, url } = await production({ SIMULATOR_ENABLED: 'true' });
    const forwarded: Record<string, string>[] = [{ 'x-forwarded-for': '203.0.113.7' }, { 'x-real-ip': '203.0.113.7' }, { forwarded: 'for=203.0.113.7' }];
    for (const headers of forwarded) {
      const client = new WebClient(url);
      expect((await client.request('/auth/dev/', { headers })).status).toBe(403);
      expect((await client.request('/auth/dev', { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=x&person=P005' })).status).toBe(403);
      expect(await (await client.request('/login', { headers })).text()).not.toContain('开发登录');
    }
    expect(await signIns(bot)).toBe(0);
    // This machine itself is answered.
    expect((await new WebClient(url).devSignIn('P005')).status).toBe(302);
    expect(await signIns(bot)).toBe(1);
  });
});
