import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { TextEvent } from '../../src/channels/port';
import type { Bot } from '../../src/container';
import { UNKNOWN_USER_REPLY } from '../../src/bot/inboxWorker';
import { MAX_ATTEMPTS } from '../../src/bot/inbox';
import type { Turn } from '../../src/bot/turn';
import { GENERIC_APOLOGY } from '../../src/errors';
import { databaseBackends, testClock } from '../support/backends';
import { createTestBot, seedTwoPeople } from '../support/fixtures';

const text = (from: string, messageId: string, body: string): TextEvent => ({
  kind: 'text', channel: 'simulator', channelUserId: from, messageId, text: body, sentAt: '2026-11-27T02:00:00.000Z',
});

describe.each(databaseBackends)('the inbox on $name', (backend) => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  let bot: Bot;
  let seen: string[];
  let failNext: number;

  const handler = async (turn: Turn) => {
    if (turn.event.kind !== 'text') return;
    if (failNext > 0) {
      failNext -= 1;
      throw new Error('database hiccup');
    }
    await sleep(Math.random() * 5);
    seen.push(turn.event.text);
    turn.reply({ kind: 'text', text: `收到：${turn.event.text}` });
  };

  const sentTo = async (recipient: string) => {
    const rows: { payload: string }[] = await db.query('SELECT payload FROM outbox WHERE recipient = ? ORDER BY id', [recipient]);
    return rows.map((r) => JSON.parse(r.payload).text as string);
  };

  beforeEach(async () => {
    ({ db, dispose } = await backend.open());
    await seedTwoPeople(db);
    seen = [];
    failNext = 0;
    bot = await createTestBot({ db, clock: testClock(), handler });
  });
  afterEach(async () => {
    await bot.close();
    await dispose();
  });

  it('handles a message delivered three times exactly once', async () => {
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await bot.inbox.accept(text('A1', 'm-1', '你好'), 'msg:m-1'));
    expect(outcomes.map((o) => o.outcome)).toEqual(['accepted', 'duplicate', 'duplicate']);
    await bot.inboxWorker.drainAll();
    await bot.inboxWorker.drainAll();
    expect(seen).toEqual(['你好']);
    expect(await sentTo('A1')).toEqual(['收到：你好']);
  });

  it('answers someone not in the roster politely and does nothing else', async () => {
    await bot.inbox.accept(text('stranger', 'm-2', '申请容错'), 'msg:m-2');
    await bot.inboxWorker.drainAll();
    expect(seen).toEqual([]);
    expect(await sentTo('stranger')).toEqual([UNKNOWN_USER_REPLY]);
  });

  it('retries a failed turn later, and keeps that user’s later messages behind it', async () => {
    failNext = 1;
    await bot.inbox.accept(text('A1', 'm-3', '第一条'), 'msg:m-3');
    await bot.inbox.accept(text('A1', 'm-4', '第二条'), 'msg:m-4');
    await bot.inboxWorker.drainAll();
    expect(seen).toEqual([]);
    await bot.inboxWorker.drainAll();
    expect(seen).toEqual(['第一条', '第二条']);
    expect(await sentTo('A1')).toEqual(['收到：第一条', '收到：第二条']);
  });

  it(`gives up after ${MAX_ATTEMPTS} failures with an apology, and the queue moves on`, async () => {
    failNext = MAX_ATTEMPTS;
    await bot.inbox.accept(text('A1', 'm-5', '坏的'), 'msg:m-5');
    await bot.inbox.accept(text('A1', 'm-6', '好的'), 'msg:m-6');
    for (let i = 0; i < MAX_ATTEMPTS + 1; i++) await bot.inboxWorker.drainAll();
    expect(seen).toEqual(['好的']);
    expect(await sentTo('A1')).toEqual([GENERIC_APOLOGY, '收到：好的']);
    const [failed]: { status: string; attempts: number }[] = await db.query(`SELECT status, attempts FROM inbox WHERE dedupe_key = 'msg:m-5'`);
    expect(failed).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS });
  });

  it('handles one user’s messages in arrival order even when two workers drain at once', async () => {
    const second = await createTestBot({ db, clock: testClock(), handler, state: bot.state });
    const bodies = Array.from({ length: 12 }, (_, i) => `消息${i + 1}`);
    for (const [i, body] of bodies.entries()) await bot.inbox.accept(text('A1', `o-${i}`, body), `msg:o-${i}`);
    await Promise.all([bot.inboxWorker.drainAll(), second.inboxWorker.drainAll(), bot.inboxWorker.drainAll()]);
    expect(seen).toEqual(bodies);
    await second.worker.stop();
  });
});
