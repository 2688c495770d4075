import type { DataSource } from 'typeorm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Inbox } from '../../src/bot/inbox';
import type { TextEvent } from '../../src/channels/port';
import { ManualClock } from '../../src/clock';
import { databaseBackends } from '../support/backends';

/**
 * Callbacks that arrive together are stored together (one INSERT for the lot) and each is told
 * its own outcome: a redelivery among them, or the same callback twice in one batch, is a
 * duplicate and the rest are stored all the same.
 */
describe.each(databaseBackends)('the inbox storing callbacks that arrive at once, on $name', (backend) => {
  let opened: Awaited<ReturnType<typeof backend.open>>;
  let db: DataSource;
  let inbox: Inbox;
  const said = (id: string, from = 'P012'): TextEvent => ({
    kind: 'text', channel: 'wecom', channelUserId: from, messageId: id, text: `第${id}条`, sentAt: '2026-11-27T02:02:00.000Z',
  });
  const stored = async () => (await db.query(`SELECT dedupe_key FROM inbox ORDER BY dedupe_key`) as { dedupe_key: string }[]).map((r) => r.dedupe_key);

  beforeEach(async () => {
    opened = await backend.open();
    db = opened.db;
    inbox = new Inbox(db, new ManualClock(new Date('2026-11-27T02:02:01.000Z')));
  });
  afterEach(async () => opened.dispose());

  it('stores forty callbacks posted at the same moment, each accepted once', async () => {
    const events = Array.from({ length: 40 }, (_, i) => said(String(1000 + i), `P${i % 7}`));
    const outcomes = await Promise.all(events.map((e) => inbox.accept(e, `msg:${e.messageId}`)));
    expect(outcomes.map((o) => o.outcome)).toEqual(events.map(() => 'accepted'));
    expect(await stored()).toEqual(events.map((e) => `msg:${e.messageId}`));
    expect(await inbox.pendingFor(Inbox.userKey(said('x', 'P3')))).toHaveLength(6);
  });

  it('tells a redelivery among new callbacks apart, and stores the new ones', async () => {
    expect((await inbox.accept(said('2'), 'msg:2')).outcome).toBe('accepted');
    const outcomes = await Promise.all(['1', '2', '3'].map((id) => inbox.accept(said(id), `msg:${id}`)));
    expect(outcomes.map((o) => o.outcome)).toEqual(['accepted', 'duplicate', 'accepted']);
    expect(await stored()).toEqual(['msg:1', 'msg:2', 'msg:3']);
  });

  it('stores the same callback posted twice at once one time, and calls the second a duplicate', async () => {
    const outcomes = await Promise.all([inbox.accept(said('7'), 'msg:7'), inbox.accept(said('8'), 'msg:8'), inbox.accept(said('7'), 'msg:7')]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['accepted', 'accepted', 'duplicate']);
    expect(await stored()).toEqual(['msg:7', 'msg:8']);
  });

  it('fails only the callback the database refuses, and stores the others of its batch', async () => {
    // No channel: the column is NOT NULL on every database.
    const refused = { ...said('9'), channel: undefined } as unknown as TextEvent;
    const outcomes = await Promise.allSettled([inbox.accept(said('5'), 'msg:5'), inbox.accept(refused, 'msg:9'), inbox.accept(said('6'), 'msg:6')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await stored()).toEqual(['msg:5', 'msg:6']);
  });

  it('names the users with events waiting by their oldest one, each once, and none whose events are handled', async () => {
    for (const [id, from] of [['1', 'P3'], ['2', 'P1'], ['3', 'P3'], ['4', 'P2'], ['5', 'P1'], ['6', 'P4']]) await inbox.accept(said(id, from), `msg:${id}`);
    const [handled] = await inbox.pendingFor(Inbox.userKey(said('x', 'P2')));
    await inbox.markHandled([handled.id]);
    expect(await inbox.usersWithPending()).toEqual(['wecom:P3', 'wecom:P1', 'wecom:P4']);
    expect(await inbox.usersWithPending(2)).toEqual(['wecom:P3', 'wecom:P1']);
  });
});
