import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { TranscriptEntry } from '../../src/channels/simulator/transcript';
import type { ManualClock } from '../../src/clock';
import type { Bot } from '../../src/container';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import type { StateStore } from '../../src/state/stateStore';
import type { DatabaseBackend, StateBackend } from './backends';
import { testClock } from './backends';
import { createTestBot } from './fixtures';
import { bodyOf, serve } from './http';

/** What the bot said in answer to one message or tap, flattened for reading in assertions. */
export class Answer {
  constructor(readonly messages: TranscriptEntry[]) {}

  get text(): string {
    return this.messages
      .map((m) => m.text ?? m.markdown ?? [m.card?.title, m.card?.description, ...(m.card?.fields ?? []).map((f) => `${f.label}：${f.value}`)].join('\n'))
      .join('\n');
  }

  get cards() {
    return this.messages.flatMap((m) => (m.card ? [m.card] : []));
  }
}

/** A person at the simulator, typing and tapping like a cadre would. */
export class Chatter {
  constructor(
    private readonly chat: Chat,
    readonly code: string,
  ) {}

  async says(text: string): Promise<Answer> {
    const res = await fetch(`${this.chat.url}/simulator/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: this.code, text }),
    });
    if (!res.ok) throw new Error(`simulator answered ${res.status}`);
    return new Answer((await bodyOf<{ messages: TranscriptEntry[] }>(res)).messages);
  }

  /** Sends a file from the messenger, as the simulator stands in for one. */
  async sends(fileName: string): Promise<Answer> {
    const res = await fetch(`${this.chat.url}/simulator/api/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: this.code, fileName }),
    });
    if (!res.ok) throw new Error(`simulator answered ${res.status}`);
    return new Answer((await bodyOf<{ messages: TranscriptEntry[] }>(res)).messages);
  }

  /** Taps the button with this label on the newest card that has it. */
  async taps(label: string): Promise<Answer> {
    const card = this.transcript().reverse().find((m) => m.card?.buttons.some((b) => b.label === label))?.card;
    if (!card) throw new Error(`no card with a “${label}” button in ${this.code}'s chat`);
    return this.tapsOn(card.cardId, card.buttons.find((b) => b.label === label)!.key);
  }

  async tapsOn(cardId: string, action: string): Promise<Answer> {
    const res = await fetch(`${this.chat.url}/simulator/api/clicks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: this.code, cardId, action }),
    });
    if (!res.ok) throw new Error(`simulator answered ${res.status}`);
    return new Answer((await bodyOf<{ messages: TranscriptEntry[] }>(res)).messages);
  }

  transcript(): TranscriptEntry[] {
    return this.chat.bot.transcript!.since(this.code, 0);
  }

  lastCard() {
    return this.transcript().reverse().find((m) => m.card)?.card;
  }
}

export interface Chat {
  url: string;
  bot: Bot;
  db: DataSource;
  state: StateStore;
  clock: ManualClock;
  as(code: string): Chatter;
  /** A new bot process on the same database and state store, as after a restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A bot with the sample roster, served over HTTP, on the given backends. */
export async function openChat(database: DatabaseBackend, stateBackend: StateBackend, env: NodeJS.ProcessEnv = {}): Promise<Chat> {
  const { db, dispose } = await database.open();
  const clock = testClock();
  await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
  const namespace = randomBytes(6).toString('hex');
  let state = stateBackend.open(clock, namespace);
  let bot = await createTestBot({ db, clock, state }, env);
  let server = await serve(bot.app);
  const chat: Chat = {
    get url() {
      return server.url;
    },
    get bot() {
      return bot;
    },
    db,
    get state() {
      return state;
    },
    clock,
    as: (code) => new Chatter(chat, code),
    async restart() {
      await server.close();
      await bot.worker.stop();
      // A new process has a new connection; only what Redis kept is still there.
      if (stateBackend.name === 'redis') {
        await state.close();
        state = stateBackend.open(clock, namespace);
      }
      bot = await createTestBot({ db, clock, state }, env);
      server = await serve(bot.app);
    },
    async close() {
      await server.close();
      await bot.close();
      await dispose();
    },
  };
  return chat;
}
