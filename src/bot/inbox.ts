import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { InboundEvent } from '../channels/port';
import { isDuplicateKey } from '../storage/dataSource';
import { GroupCommit, type Settled } from './groupCommit';
import { insert, update, type Executor } from '../storage/sql';
import type { Clock } from '../clock';

export interface InboxItem {
  id: number;
  /** The platform's identity of the event, unique per channel: what redeliveries share. */
  dedupeKey: string;
  event: InboundEvent;
  attempts: number;
  /** When the event was stored, i.e. acknowledged to the platform (ISO, by the bot's clock). */
  receivedAt: string;
  /** Where the event stands among the person's events in the order they were sent (see orderKey). */
  orderKey: string;
  /** An event the person sent after this one was handled before this one was read (see pendingFor). */
  arrivedLate: boolean;
}

export const MAX_ATTEMPTS = 5;

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * A key as it is stored: a longer one than its column holds is hashed, never cut (two long ids
 * sharing a prefix must stay two events, two users), and no half of a surrogate pair is left
 * (SQLite stores one as bytes that read back as three U+FFFD, so a lookup by the original key would
 * never find the row again: the event would wait forever, or its insert answer a 500).
 */
export function storedKey(key: string, max: number): string {
  if (key.length > Math.min(max, 180)) return `evt#${createHash('sha256').update(key).digest('hex')}`;
  // A surrogate at all is rare: a plain character class tells, before the Unicode-aware pass that finds lone ones.
  return SURROGATE.test(key) ? key.replace(/\p{Cs}/gu, '\uFFFD') : key;
}

/**
 * Sorts a person's events as they sent them: the platform's instant (WeCom CreateTime, DingTalk
 * createAt, the signature time of a card click), then, for events of the same instant, the
 * platform's message id when it is a number (WeCom's MsgId grows with each message). Events still
 * equal keep their arrival order.
 */
export function orderKey(event: InboundEvent): string {
  const id = 'messageId' in event && /^\d{1,20}$/.test(event.messageId) ? event.messageId.padStart(20, '0') : '';
  return `${event.sentAt}#${id}`;
}

type Outcome = 'accepted' | 'duplicate';
type InboxRow = Record<string, unknown> & { channel: string; dedupe_key: string; payload: string };

/** Rows one INSERT carries at most, and the payload characters (a long text is 70 KB). */
const MAX_BATCH = 100;
const MAX_BATCH_CHARS = 1_000_000;
/** Inbox INSERTs running at once on MariaDB (see dataSource.ts for the connections they take). */
const WRITES_IN_FLIGHT = 4;

/**
 * Durable receipt of inbound events. A webhook writes the event here and only then acknowledges
 * the platform; the unique (channel, dedupe_key) makes a redelivery, on any instance, a no-op.
 * Callbacks arriving together are stored by one multi-row INSERT (group commit) and each is
 * answered once that statement has committed; a redelivery among them is told apart row by row.
 */
export class Inbox {
  private readonly group: GroupCommit<InboxRow, Outcome>;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {
    const oneConnection = db.options.type === 'better-sqlite3';
    // A callback waits for the commit of the INSERT that carries it, not for this process's CPU:
    // with four statements in flight a new batch seldom waits for a free one (MariaDB flushes
    // commits that overlap together).
    this.group = new GroupCommit((rows) => this.store(rows), oneConnection ? 1 : WRITES_IN_FLIGHT, MAX_BATCH, (row) => row.payload.length, MAX_BATCH_CHARS);
  }

  static userKey(event: Pick<InboundEvent, 'channel' | 'channelUserId'>): string {
    return storedKey(`${event.channel}:${event.channelUserId}`, 100);
  }

  /** 'duplicate' when this event was received before (and is or will be handled once). */
  async accept(event: InboundEvent, dedupeKey: string): Promise<{ outcome: Outcome }> {
    const outcome = await this.group.submit({
      channel: event.channel,
      dedupe_key: storedKey(dedupeKey, 191),
      user_key: Inbox.userKey(event),
      payload: JSON.stringify(event),
      status: 'pending',
      attempts: 0,
      received_at: this.clock.now().toISOString(),
      order_key: orderKey(event),
    });
    return { outcome };
  }

  /**
   * One INSERT for the batch. A statement fails as a whole (no row of it is stored), so when one
   * row spoils it (a redelivery, as a rule) each row is tried on its own and gets its own answer.
   * The same key twice in one batch is one event: the later copies are its redeliveries.
   */
  private async store(rows: InboxRow[]): Promise<Settled<Outcome>[]> {
    const first = new Map<string, number>();
    rows.forEach((row, i) => {
      const key = `${row.channel}\n${row.dedupe_key}`;
      if (!first.has(key)) first.set(key, i);
    });
    const unique = [...first.values()].map((i) => rows[i]);
    const outcomes = new Map<InboxRow, Settled<Outcome>>();
    let fresh = unique;
    try {
      await insert(this.db, 'inbox', fresh);
      for (const row of fresh) outcomes.set(row, { value: 'accepted' });
    } catch (error) {
      if (fresh.length === 1) {
        outcomes.set(fresh[0], isDuplicateKey(error) ? { value: 'duplicate' } : { error });
      } else {
        // Redeliveries come in crowds (a platform retrying what a slow bot had not answered): one
        // query finds those already stored, and the rest go in one statement again.
        if (isDuplicateKey(error)) {
          const stored = await this.storedOf(fresh);
          for (const row of fresh) if (stored.has(`${row.channel}\n${row.dedupe_key}`)) outcomes.set(row, { value: 'duplicate' });
          fresh = fresh.filter((row) => !outcomes.has(row));
          try {
            await insert(this.db, 'inbox', fresh);
            for (const row of fresh) outcomes.set(row, { value: 'accepted' });
            fresh = [];
          } catch {
            // Stored meanwhile by another batch, or refused for another reason: row by row.
          }
        }
        for (const row of fresh) outcomes.set(row, await this.storeOne(row));
      }
    }
    return rows.map((row, i) => {
      const firstIndex = first.get(`${row.channel}\n${row.dedupe_key}`)!;
      const outcome = outcomes.get(rows[firstIndex])!;
      return firstIndex === i || 'error' in outcome ? outcome : { value: 'duplicate' };
    });
  }

  /** Which of these rows' keys the inbox holds already, as channel and key joined by a newline. */
  private async storedOf(rows: InboxRow[]): Promise<Set<string>> {
    const stored = new Set<string>();
    for (const channel of new Set(rows.map((r) => r.channel))) {
      const keys = rows.filter((r) => r.channel === channel).map((r) => r.dedupe_key);
      const found: { dedupe_key: string }[] = await this.db.query(`SELECT dedupe_key FROM inbox WHERE channel = ? AND dedupe_key IN (${keys.map(() => '?').join(', ')})`, [channel, ...keys]);
      for (const row of found) stored.add(`${channel}\n${row.dedupe_key}`);
    }
    return stored;
  }

  private async storeOne(row: InboxRow): Promise<Settled<Outcome>> {
    try {
      await insert(this.db, 'inbox', row);
      return { value: 'accepted' };
    } catch (error) {
      return isDuplicateKey(error) ? { value: 'duplicate' } : { error };
    }
  }

  /** Whether the event with this key is stored and not handled yet. */
  async isPending(channel: InboundEvent['channel'], dedupeKey: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM inbox WHERE channel = ? AND dedupe_key = ? AND status = 'pending'`, [channel, storedKey(dedupeKey, 191)]);
    return rows.length > 0;
  }

  /**
   * Users with events waiting, oldest first; the worker drains each under that user's lock. Read
   * from the oldest waiting events only (ten per user wanted): grouping every waiting event by user
   * cost the database time in proportion to the backlog, on every pass, just when it is longest.
   * When a few users hold all of those events, fewer users come back; the next pass finds the rest.
   */
  async usersWithPending(limit = 100): Promise<string[]> {
    const rows: { user_key: string }[] = await this.db.query(`SELECT user_key FROM inbox WHERE status = 'pending' ORDER BY id LIMIT ${Number(limit) * 10}`);
    return [...new Set(rows.map((r) => r.user_key))].slice(0, limit);
  }

  /**
   * The user's waiting events in the order they were sent (arrival order among equals), each
   * marked `arrivedLate` when an event the user sent after it has already been handled: it came in
   * late (a platform retry that came in after the next message) and must not be applied as if it
   * were the newest. One query for both; call only while holding the user's lock, which is what
   * keeps "already handled" from changing until the events read here are handled (in order, so
   * none of them makes a later one late).
   */
  async pendingFor(userKey: string): Promise<InboxItem[]> {
    const rows: { id: number; dedupe_key: string; payload: string; attempts: number; received_at: string; order_key: string | null; latest_done: string | null }[] = await this.db.query(
      `SELECT id, dedupe_key, payload, attempts, received_at, order_key,
              (SELECT MAX(order_key) FROM inbox done WHERE done.user_key = ? AND done.status = 'done') AS latest_done
         FROM inbox WHERE user_key = ? AND status = 'pending' ORDER BY order_key, id`,
      [userKey, userKey],
    );
    return rows.map((r) => {
      const event = JSON.parse(r.payload) as InboundEvent;
      const order = r.order_key ?? orderKey(event);
      return {
        id: Number(r.id), dedupeKey: r.dedupe_key, event, attempts: Number(r.attempts), receivedAt: r.received_at, orderKey: order,
        arrivedLate: r.latest_done != null && r.latest_done > order,
      };
    });
  }

  /** Pass the transaction's manager so that the events are done exactly when their replies are queued. */
  async markHandled(ids: readonly number[], db: Executor = this.db): Promise<void> {
    if (ids.length === 0) return;
    await update(db, 'inbox', { status: 'done', handled_at: this.clock.now().toISOString(), error: null }, `id IN (${ids.map(() => '?').join(', ')})`, [...ids]);
  }

  /** Leaves the event pending for another try, or gives up after MAX_ATTEMPTS. */
  async markFailed(id: number, attempts: number, reason: string): Promise<'retry' | 'gave-up'> {
    const gaveUp = attempts + 1 >= MAX_ATTEMPTS;
    await update(this.db, 'inbox', { status: gaveUp ? 'failed' : 'pending', attempts: attempts + 1, error: reason.slice(0, 500) }, 'id = ?', [id]);
    return gaveUp ? 'gave-up' : 'retry';
  }

}
