import type { Server } from 'node:http';
import type { DataSource } from 'typeorm';
import type { ManualClock } from '../../src/clock';
import type { Bot } from '../../src/container';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import type { StateStore } from '../../src/state/stateStore';
import { APP_KEY, APP_SECRET, dingtalkEnv, ROBOT_CODE } from '../channels/dingtalk/callbacks';
import { AGENT_ID, SAMPLE, SECRET, wecomEnv } from '../channels/wecom/callbacks';
import { testClock, type DatabaseBackend, type StateBackend } from './backends';
import { FakeDingtalk } from './fakeDingtalk';
import { FakeWecom } from './fakeWecom';
import { createTestBot } from './fixtures';
import { freePort } from './http';

/**
 * The sample roster, a bot with both messengers pointed at their fakes (chat API, sign-in pages
 * and code exchange alike), served on a real loopback port that PUBLIC_BASE_URL names.
 */
export interface WebStack {
  db: DataSource;
  clock: ManualClock;
  state: StateStore;
  bot: Bot;
  url: string;
  /** The first instance's admin listener: the development sign-in, the simulator, /metrics. */
  adminUrl: string;
  wecom: FakeWecom;
  dingtalk: FakeDingtalk;
  /** Another instance over the same database and state store: a second server behind the balancer. */
  another(): Promise<{ url: string; close(): Promise<void> }>;
  close(): Promise<void>;
}

export async function openWebStack(database: DatabaseBackend, stateBackend: StateBackend, extraEnv: NodeJS.ProcessEnv = {}, options: { clock?: ManualClock } = {}): Promise<WebStack> {
  const { db, dispose } = await database.open();
  const clock = options.clock ?? testClock();
  await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
  const wecom = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
  const dingtalk = await new FakeDingtalk(APP_KEY, APP_SECRET, ROBOT_CODE).start();
  // Everyone on the sample roster with a DingTalk id is a member of the fake organisation.
  const rows: { name: string; dingtalk_user_id: string | null }[] = await db.query('SELECT name, dingtalk_user_id FROM people');
  dingtalk.users = rows.filter((r) => r.dingtalk_user_id).map((r) => ({ userid: r.dingtalk_user_id!, name: r.name, dept_id_list: [1] }));
  const env = (port: number): NodeJS.ProcessEnv => ({
    ...wecomEnv(wecom),
    ...dingtalkEnv(dingtalk),
    WECOM_OAUTH_BASE: wecom.url,
    WECOM_LOGIN_BASE: wecom.url,
    DINGTALK_LOGIN_BASE: dingtalk.url,
    DINGTALK_CORP_ID: dingtalk.corpId,
    DINGTALK_JSAPI_URL: `${dingtalk.url}/dingtalk.open.js`,
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    // Known before start, so that /login can point to the admin listener's development sign-in.
    ADMIN_PORT: String(adminPort),
    ...extraEnv,
  });
  const adminPort = await freePort();
  const state = stateBackend.open(clock);
  const servers: Server[] = [];
  const bots: Bot[] = [];
  const start = async () => {
    const port = await freePort();
    const bot = await createTestBot({ db, clock, state }, env(port));
    const server = bot.app.listen(port, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', resolve));
    servers.push(server);
    bots.push(bot);
    return { bot, url: `http://127.0.0.1:${port}`, server };
  };
  const first = await start();
  const admin = first.bot.adminApp.listen(adminPort, '127.0.0.1');
  await new Promise<void>((resolve) => admin.once('listening', resolve));
  servers.push(admin);
  const adminUrl = `http://127.0.0.1:${adminPort}`;
  const stop = (server: Server) => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return {
    db, clock, state, bot: first.bot, url: first.url, adminUrl, wecom, dingtalk,
    async another() {
      const { url, server } = await start();
      return { url, close: () => stop(server) };
    },
    async close() {
      for (const server of servers) if (server.listening) await stop(server);
      await wecom.close();
      await dingtalk.close();
      // The bots share the state store and the database: the last to close closes them.
      for (const bot of bots.slice(1)) await bot.worker.stop();
      await first.bot.close();
      await dispose();
    },
  };
}
