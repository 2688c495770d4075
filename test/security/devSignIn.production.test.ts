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
 * The development sign-in lets anyone be anyone, like the simulator. It lives on the admin
 * listener, beside the simulator, and never in production: not even with SIMULATOR_ENABLED,
 * which opens the simulator alone.
 */
describe('the development sign-in in production', () => {
  let close = async () => {};
  afterEach(async () => close());

  async function production(extra: NodeJS.ProcessEnv): Promise<{ bot: Bot; url: string; admin: string }> {
    const { db, dispose } = await databaseBackends[0].open();
    const clock = testClock();
    await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
    const bot = await createBot(loadConfig({ NODE_ENV: 'production', DATA_ENCRYPTION_KEYS: TEST_DATA_KEYS, LOG_LEVEL: 'silent', ...extra }), { db, clock, state: new MemoryStateStore(clock), logger: createLogger('silent') });
    const server = await serve(bot.app);
    const admin = await serve(bot.adminApp);
    close = async () => {
      await server.close();
      await admin.close();
      await bot.close();
      await dispose();
    };
    return { bot, url: server.url, admin: admin.url };
  }

  const signIns = async (bot: Bot) => Number((await bot.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'signin'`))[0].n);

  for (const [name, extra] of [['without SIMULATOR_ENABLED', {}], ['with SIMULATOR_ENABLED', { SIMULATOR_ENABLED: 'true' }]] as const) {
    it(`does not exist ${name} on either listener, and /login does not offer it`, async () => {
      const { bot, url, admin } = await production(extra);
      const client = new WebClient(url, admin);
      for (const base of [url, admin]) {
        expect((await client.request(`${base}/auth/dev/`)).status).toBe(404);
        expect((await client.request(`${base}/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'state=x&person=P005' })).status).toBe(404);
      }
      expect((await client.request('/auth/dev/handoff?ticket=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404);
      expect((await client.devSignIn('P005')).status).toBe(404);
      expect(await (await client.request('/login', { headers: { 'x-forwarded-for': '127.0.0.1' } })).text()).not.toContain('开发登录');
      expect((await client.api('/me')).status).toBe(401);
      expect(await signIns(bot)).toBe(0);
    });
  }

  it('with SIMULATOR_ENABLED the simulator itself is still there, on the admin listener only', async () => {
    const { url, admin } = await production({ SIMULATOR_ENABLED: 'true' });
    expect((await fetch(`${admin}/simulator`)).status).toBe(200);
    expect((await fetch(`${url}/simulator`)).status).toBe(404);
  });
});
