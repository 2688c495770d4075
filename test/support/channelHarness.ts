import { afterEach, beforeEach } from 'vitest';
import type { DataSource } from 'typeorm';
import type { TurnHandler } from '../../src/bot/turn';
import type { ManualClock } from '../../src/clock';
import type { Bot } from '../../src/container';
import { createLogger } from '../../src/logger';
import { databaseBackends, stateBackends, testClock, type DatabaseBackend, type StateBackend } from './backends';
import { createTestBot, seedTwoPeople } from './fixtures';
import { serve } from './http';

export interface Stack {
  database: DatabaseBackend;
  state: StateBackend;
}

/** sqlite with the in-process store, and MariaDB with Redis when both are configured. */
export const stacks: Stack[] = databaseBackends.map((database, i) => ({ database, state: stateBackends[Math.min(i, stateBackends.length - 1)] }));

interface FakePlatform {
  url: string;
  close(): Promise<void>;
}

export interface HarnessSetup<F extends FakePlatform> {
  fake(): Promise<F>;
  /** The settings that point the channel at the fake. */
  env(fake: F): NodeJS.ProcessEnv;
  /** After the two-person roster is written: the channel's ids for its people. */
  seed?(db: DataSource): Promise<void>;
}

/** A bot on a real loopback port, a fake messenger API, and the two-person roster, per test. */
export class ChannelHarness<F extends FakePlatform> {
  db!: DataSource;
  clock!: ManualClock;
  fake!: F;
  bot!: Bot;
  url = '';
  /** The admin listener (metrics, simulator), on loopback as in production. */
  adminUrl = '';
  /** Every log line the bot wrote, parsed. */
  logLines: Record<string, unknown>[] = [];
  private server?: Awaited<ReturnType<typeof serve>>;
  private adminServer?: Awaited<ReturnType<typeof serve>>;

  constructor(
    private readonly stack: Stack,
    private readonly setup: HarnessSetup<F>,
  ) {}

  /** Starts the bot (default handler: the idle menu) with the channel pointed at the fake API. */
  async start(handler?: TurnHandler, extraEnv: NodeJS.ProcessEnv = {}): Promise<void> {
    const logger = createLogger('debug', { write: (line: string) => void this.logLines.push(JSON.parse(line) as Record<string, unknown>) });
    this.bot = await createTestBot(
      { db: this.db, clock: this.clock, logger, state: this.stack.state.open(this.clock), ...(handler ? { handler } : {}) },
      { ...this.setup.env(this.fake), ...extraEnv },
    );
    this.server = await serve(this.bot.app);
    this.url = this.server.url;
    this.adminServer = await serve(this.bot.adminApp);
    this.adminUrl = this.adminServer.url;
  }

  /** Lets the background worker finish handling what was received and sending the replies. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.bot.worker.kick();
  }

  async count(table: 'inbox' | 'outbox'): Promise<number> {
    return Number((await this.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  }

  async open(): Promise<() => Promise<void>> {
    const { db, dispose } = await this.stack.database.open();
    this.db = db;
    await seedTwoPeople(db);
    await this.setup.seed?.(db);
    this.clock = testClock();
    this.logLines = [];
    this.fake = await this.setup.fake();
    return async () => {
      if (this.server) {
        await this.server.close();
        await this.adminServer?.close();
        await this.bot.close();
        this.server = undefined;
      }
      await this.fake.close();
      await dispose();
    };
  }
}

/** Registers the per-test setup and teardown of a harness in the enclosing describe. */
export function registerHarness<H extends ChannelHarness<FakePlatform>>(harness: H): H {
  let close: () => Promise<void>;
  beforeEach(async () => {
    close = await harness.open();
  });
  afterEach(async () => close());
  return harness;
}
