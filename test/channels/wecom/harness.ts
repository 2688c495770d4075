import { afterEach, beforeEach } from 'vitest';
import type { DataSource } from 'typeorm';
import type { TurnHandler } from '../../../src/bot/turn';
import type { ManualClock } from '../../../src/clock';
import type { Bot } from '../../../src/container';
import { createLogger } from '../../../src/logger';
import { databaseBackends, stateBackends, testClock, type DatabaseBackend, type StateBackend } from '../../support/backends';
import { FakeWecom } from '../../support/fakeWecom';
import { createTestBot, seedTwoPeople } from '../../support/fixtures';
import { serve } from '../../support/http';
import { AGENT_ID, SAMPLE, SECRET, wecomEnv } from './callbacks';

/** sqlite with the in-process store, and MariaDB with Redis when both are configured. */
export const stacks = databaseBackends.map((database, i) => ({ database, state: stateBackends[Math.min(i, stateBackends.length - 1)] }));

/** A bot on a real loopback port, a fake WeCom API, and the two-person roster, per test. */
export class WecomHarness {
  db!: DataSource;
  clock!: ManualClock;
  fake!: FakeWecom;
  bot!: Bot;
  url = '';
  /** Every log line the bot wrote, parsed. */
  logLines: Record<string, unknown>[] = [];
  private server?: Awaited<ReturnType<typeof serve>>;

  constructor(private readonly stack: { database: DatabaseBackend; state: StateBackend }) {}

  /** Starts the bot (default handler: the idle menu) with WeCom pointed at the fake API. */
  async start(handler?: TurnHandler): Promise<void> {
    const logger = createLogger('debug', { write: (line: string) => void this.logLines.push(JSON.parse(line) as Record<string, unknown>) });
    this.bot = await createTestBot(
      { db: this.db, clock: this.clock, logger, state: this.stack.state.open(this.clock), ...(handler ? { handler } : {}) },
      wecomEnv(this.fake),
    );
    this.server = await serve(this.bot.app);
    this.url = this.server.url;
  }

  /** Lets the background worker finish handling what was received and sending the replies. */
  async settle(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.bot.worker.kick();
  }

  /** The bot clock as a unix timestamp, as WeCom writes it. */
  now(): number {
    return Math.floor(this.clock.now().getTime() / 1000);
  }

  async count(table: 'inbox' | 'outbox'): Promise<number> {
    return Number((await this.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  }

  async open(): Promise<() => Promise<void>> {
    const { db, dispose } = await this.stack.database.open();
    this.db = db;
    await seedTwoPeople(db);
    this.clock = testClock();
    this.logLines = [];
    this.fake = await new FakeWecom(SAMPLE.corpId, SECRET, AGENT_ID).start();
    return async () => {
      if (this.server) {
        await this.server.close();
        await this.bot.close();
        this.server = undefined;
      }
      await this.fake.close();
      await dispose();
    };
  }
}

/** Registers the per-test setup and teardown of a harness in the enclosing describe. */
export function wecomHarness(stack: { database: DatabaseBackend; state: StateBackend }): WecomHarness {
  const harness = new WecomHarness(stack);
  let close: () => Promise<void>;
  beforeEach(async () => {
    close = await harness.open();
  });
  afterEach(async () => close());
  return harness;
}
