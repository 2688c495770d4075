import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { ManualClock } from '../../src/clock';
import type { Bot } from '../../src/container';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import type { StateStore } from '../../src/state/stateStore';
import type { DatabaseBackend, StateBackend } from './backends';
import { testClock } from './backends';
import type { Chatter } from './chatters/base';
import { dingtalkMessenger } from './chatters/dingtalk';
import type { Messenger } from './chatters/messenger';
import { SimulatorChatter } from './chatters/simulator';
import { wecomMessenger } from './chatters/wecom';
import { createTestBot } from './fixtures';
import { serve } from './http';

export { Answer, recordBefore, type Chatter } from './chatters/base';

/** Where the people of a chat talk to the bot: the simulator, or a messenger behind a fake API. */
export type Channel = 'simulator' | 'wecom' | 'dingtalk';

export interface Chat {
  url: string;
  /** The admin listener, where the simulator is. */
  adminUrl: string;
  bot: Bot;
  db: DataSource;
  state: StateStore;
  clock: ManualClock;
  as(code: string): Chatter;
  /** A new bot process on the same database and state store, as after a restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

const MESSENGERS: Record<Exclude<Channel, 'simulator'>, () => Promise<Messenger>> = { wecom: wecomMessenger, dingtalk: dingtalkMessenger };

/** Everyone gets an id on the messenger: the sample roster has them for only some people. */
async function giveIds(db: DataSource, messenger: Messenger): Promise<Map<string, string>> {
  const people: { id: number; code: string; linked: string | null }[] = await db.query(`SELECT id, code, ${messenger.column} AS linked FROM people`);
  const ids = new Map<string, string>();
  for (const p of people) {
    const id = p.linked ?? messenger.idFor(p.code);
    if (!p.linked) await db.query(`UPDATE people SET ${messenger.column} = ? WHERE id = ?`, [id, p.id]);
    ids.set(p.code, id);
  }
  return ids;
}

/** A bot with the sample roster, served over HTTP, on the given backends, its people on `channel`. */
export async function openChat(database: DatabaseBackend, stateBackend: StateBackend, env: NodeJS.ProcessEnv = {}, channel: Channel = 'simulator'): Promise<Chat> {
  const { db, dispose } = await database.open();
  const clock = testClock();
  await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
  const messenger = channel === 'simulator' ? undefined : await MESSENGERS[channel]();
  const ids = messenger && (await giveIds(db, messenger));
  const botEnv = { ...messenger?.env, ...env };
  const namespace = randomBytes(6).toString('hex');
  let state = stateBackend.open(clock, namespace);
  let bot = await createTestBot({ db, clock, state }, botEnv);
  let server = await serve(bot.app);
  let admin = await serve(bot.adminApp);
  const chat: Chat = {
    get url() {
      return server.url;
    },
    get adminUrl() {
      return admin.url;
    },
    get bot() {
      return bot;
    },
    db,
    get state() {
      return state;
    },
    clock,
    as: (code) => (messenger && ids ? messenger.chatter(code, ids.get(code) ?? messenger.idFor(code), chat) : new SimulatorChatter(chat, code)),
    async restart() {
      await server.close();
      await admin.close();
      await bot.worker.stop();
      // A new process has a new connection; only what Redis kept is still there.
      if (stateBackend.name === 'redis') {
        await state.close();
        state = stateBackend.open(clock, namespace);
      }
      bot = await createTestBot({ db, clock, state }, botEnv);
      server = await serve(bot.app);
      admin = await serve(bot.adminApp);
    },
    async close() {
      await server.close();
      await admin.close();
      await bot.close();
      await messenger?.close();
      await dispose();
    },
  };
  return chat;
}
