import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/bot/inbox';
import { Outbox } from '../../src/bot/outbox';
import type { Completion } from '../../src/bot/turn';
import { TurnCommit } from '../../src/bot/turnCommit';
import type { TextEvent } from '../../src/channels/port';
import { ManualClock } from '../../src/clock';
import { createLogger } from '../../src/logger';
import { databaseBackends } from '../support/backends';

/**
 * Turns of several people that finish at once are completed in one transaction: each event is
 * marked done with its own replies and completions, and a turn whose writes the database refuses
 * fails alone, leaving the others of its batch done.
 */
describe.each(databaseBackends)('completing turns together, on $name', (backend) => {
  let opened: Awaited<ReturnType<typeof backend.open>>;
  let db: DataSource;
  let inbox: Inbox;
  let commits: TurnCommit;
  const said = (from: string): TextEvent => ({
    kind: 'text', channel: 'wecom', channelUserId: from, messageId: `m-${from}`, text: '否', sentAt: '2026-11-27T02:02:00.000Z',
  });
  const noted = (from: string): Completion => async (ex) => {
    await ex.query('INSERT INTO audit_log (actor_id, channel, action, subject, detail, at) VALUES (NULL, ?, ?, ?, ?, ?)', ['wecom', 'test.noted', from, '{}', '2026-11-27T02:02:01.000Z']);
  };
  const refused: Completion = async (ex) => {
    await ex.query('INSERT INTO no_such_table (id) VALUES (1)');
  };
  const turnOf = async (from: string, completions: Completion[]) => {
    const [item] = await inbox.pendingFor(Inbox.userKey(said(from)));
    return { item, key: `wecom:${item.dedupeKey}`, deliveries: [{ channel: 'wecom' as const, recipient: from, message: { kind: 'text' as const, text: `答复${from}` } }], completions };
  };

  beforeEach(async () => {
    opened = await backend.open();
    db = opened.db;
    const clock = new ManualClock(new Date('2026-11-27T02:02:01.000Z'));
    inbox = new Inbox(db, clock);
    commits = new TurnCommit(db, inbox, new Outbox(db, clock, new Map(), createLogger('silent'), 'instance-a'));
    for (const from of ['P1', 'P2', 'P3']) await inbox.accept(said(from), `msg:${from}`);
  });
  afterEach(async () => opened.dispose());

  it('marks each event done with its replies and completions, and fails only the turn the database refuses', async () => {
    const turns = [await turnOf('P1', [noted('P1')]), await turnOf('P2', [noted('P2'), refused]), await turnOf('P3', [noted('P3')])];
    const outcomes = await Promise.allSettled(turns.map((t) => commits.complete(t)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const events: { user_key: string; status: string }[] = await db.query('SELECT user_key, status FROM inbox ORDER BY user_key');
    expect(events).toEqual([
      { user_key: 'wecom:P1', status: 'done' },
      { user_key: 'wecom:P2', status: 'pending' },
      { user_key: 'wecom:P3', status: 'done' },
    ]);
    const replies: { recipient: string }[] = await db.query('SELECT recipient FROM outbox ORDER BY recipient');
    expect(replies.map((r) => r.recipient)).toEqual(['P1', 'P3']);
    const notes: { subject: string }[] = await db.query(`SELECT subject FROM audit_log WHERE action = 'test.noted' ORDER BY subject`);
    expect(notes.map((n) => n.subject)).toEqual(['P1', 'P3']);
  });
});
