import type { DataSource } from 'typeorm';
import type { InboundEvent } from '../channels/port';
import { isDuplicateKey } from '../storage/dataSource';
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
}

export const MAX_ATTEMPTS = 5;

/**
 * A key as the database gives it back: cut to its column, with no half of a surrogate pair left
 * (SQLite stores one as bytes that read back as three U+FFFD, so a lookup by the original key would
 * never find the row again: the event would wait forever, or its insert answer a 500).
 */
function storedKey(key: string, max: number): string {
  return key.slice(0, max).replace(/\p{Cs}/gu, '\uFFFD');
}

/**
 * Durable receipt of inbound events. A webhook writes the event here and only then acknowledges
 * the platform; the unique (channel, dedupe_key) makes a redelivery, on any instance, a no-op.
 */
export class Inbox {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  static userKey(event: Pick<InboundEvent, 'channel' | 'channelUserId'>): string {
    return storedKey(`${event.channel}:${event.channelUserId}`, 100);
  }

  /** 'duplicate' when this event was received before (and is or will be handled once). */
  async accept(event: InboundEvent, dedupeKey: string): Promise<{ outcome: 'accepted' | 'duplicate' }> {
    const key = storedKey(dedupeKey, 191);
    try {
      await insert(this.db, 'inbox', {
        channel: event.channel,
        dedupe_key: key,
        user_key: Inbox.userKey(event),
        payload: JSON.stringify(event),
        status: 'pending',
        attempts: 0,
        received_at: this.clock.now().toISOString(),
      });
    } catch (error) {
      if (isDuplicateKey(error)) return { outcome: 'duplicate' };
      throw error;
    }
    return { outcome: 'accepted' };
  }

  /** Users with events waiting, oldest first; the worker drains each under that user's lock. */
  async usersWithPending(limit = 100): Promise<string[]> {
    const rows: { user_key: string }[] = await this.db.query(
      `SELECT user_key, MIN(id) AS first FROM inbox WHERE status = 'pending' GROUP BY user_key ORDER BY first LIMIT ${Number(limit)}`,
    );
    return rows.map((r) => r.user_key);
  }

  /** The user's waiting events in arrival order. Call only while holding the user's lock. */
  async pendingFor(userKey: string): Promise<InboxItem[]> {
    const rows: { id: number; dedupe_key: string; payload: string; attempts: number; received_at: string }[] = await this.db.query(
      `SELECT id, dedupe_key, payload, attempts, received_at FROM inbox WHERE user_key = ? AND status = 'pending' ORDER BY id`,
      [userKey],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      dedupeKey: r.dedupe_key,
      event: JSON.parse(r.payload) as InboundEvent,
      attempts: Number(r.attempts),
      receivedAt: r.received_at,
    }));
  }

  /** Pass the transaction's manager so that the event is done exactly when its replies are queued. */
  async markHandled(id: number, db: Executor = this.db): Promise<void> {
    await update(db, 'inbox', { status: 'done', handled_at: this.clock.now().toISOString(), error: null }, 'id = ?', [id]);
  }

  /** Leaves the event pending for another try, or gives up after MAX_ATTEMPTS. */
  async markFailed(id: number, attempts: number, reason: string): Promise<'retry' | 'gave-up'> {
    const gaveUp = attempts + 1 >= MAX_ATTEMPTS;
    await update(this.db, 'inbox', { status: gaveUp ? 'failed' : 'pending', attempts: attempts + 1, error: reason.slice(0, 500) }, 'id = ?', [id]);
    return gaveUp ? 'gave-up' : 'retry';
  }

}
