import type { DataSource } from 'typeorm';
import type { ChannelName, ChannelSender, OutboundMessage } from '../channels/port';
import type { Clock } from '../clock';
import { PlatformApiError, SendDeferredError } from '../errors';
import { reasonOf, type Logger } from '../logger';
import type { SendObserver } from '../metrics/metrics';
import { execute, insert, select, update, type Executor } from '../storage/sql';
import { splitText } from './splitText';

export interface Delivery {
  channel: ChannelName;
  recipient: string;
  message: OutboundMessage;
}

interface OutboxRow {
  id: number;
  channel: ChannelName;
  recipient: string;
  payload: string;
  attempts: number;
  created_at: string;
}

/** Retry waits grow to an hour and keep going: a notification is delayed by an outage, never dropped. */
export function backoffMs(attempts: number): number {
  return Math.min(3_600_000, 2_000 * 2 ** Math.min(attempts, 20));
}

/**
 * Every message the bot sends is written here first (in the caller's transaction when there is
 * one) and delivered by `dispatchDue`, so a failed send is retried from the database.
 */
export class Outbox {
  /**
   * Outcomes of sends whose row could not be written (the database went away between the send and
   * the write). They are written before anything else is sent, so a message the platform took is
   * never sent again by this process because its row still said 'sending'.
   */
  private readonly unrecorded = new Map<number, Record<string, unknown>>();

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly senders: Map<ChannelName, ChannelSender>,
    private readonly logger: Logger,
    private readonly instanceId: string,
    private readonly observer?: SendObserver,
  ) {}

  /** Queues messages; with `heldFor` they wait for that turn's answer (see outboxHold.ts). */
  async enqueue(deliveries: Delivery[], db: Executor = this.db, heldFor?: string): Promise<void> {
    const now = this.clock.now().toISOString();
    await insert(
      db,
      'outbox',
      deliveries.flatMap((d) => this.whole(d)).map((d) => ({
        channel: d.channel,
        recipient: d.recipient,
        payload: JSON.stringify(d.message),
        // Named only when held: the column is newer than the rows an upgrade finds queued.
        ...(heldFor ? { status: 'held', held_for: heldFor } : { status: 'pending' }),
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })),
    );
  }

  /**
   * Queues what the turns `keys` held behind everything queued so far (their answers, queued just
   * before in the same transaction): each held row is written again as a new row, which sorts after
   * them, in the order it was held. One query for any number of turns.
   */
  async release(keys: readonly string[], db: Executor = this.db): Promise<void> {
    if (keys.length === 0) return;
    const marks = keys.map(() => '?').join(', ');
    const held = await select<{ id: number; channel: ChannelName; recipient: string; payload: string; created_at: string }>(
      db,
      `SELECT id, channel, recipient, payload, created_at FROM outbox WHERE held_for IN (${marks}) AND status = 'held' ORDER BY id`,
      [...keys],
    );
    if (held.length === 0) return;
    const now = this.clock.now().toISOString();
    await insert(
      db,
      'outbox',
      held.map((r) => ({ channel: r.channel, recipient: r.recipient, payload: r.payload, status: 'pending', attempts: 0, next_attempt_at: now, created_at: r.created_at })),
    );
    await execute(db, `DELETE FROM outbox WHERE held_for IN (${marks}) AND status = 'held'`, [...keys]);
  }

  /** A text too long for its messenger becomes several messages, sent in order. */
  private whole(d: Delivery): Delivery[] {
    const max = this.senders.get(d.channel)?.maxTextBytes;
    if (d.message.kind !== 'text' || max === undefined) return [d];
    return splitText(d.message.text, max).map((text) => ({ ...d, message: { kind: 'text', text } }));
  }

  /**
   * Sends what is due, in creation order per recipient; returns how many were sent. A message
   * waits while an earlier one to the same person is unsent, so passes repeat until one sends
   * nothing: the message behind a just-sent one becomes eligible in the next pass.
   */
  async dispatchDue(limit = 50): Promise<number> {
    let total = 0;
    for (let sent = -1; sent !== 0 && total < limit * 10; total += sent) sent = await this.dispatchPass(limit);
    return total;
  }

  private async dispatchPass(limit: number): Promise<number> {
    await this.recordUnrecorded();
    const now = this.clock.now();
    const staleClaim = new Date(now.getTime() - 60_000).toISOString();
    const rows: OutboxRow[] = await this.db.query(
      `SELECT id, channel, recipient, payload, attempts, created_at FROM outbox
       WHERE ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'sending' AND claimed_at < ?))
         AND NOT EXISTS (SELECT 1 FROM outbox earlier WHERE earlier.channel = outbox.channel
           AND earlier.recipient = outbox.recipient AND earlier.id < outbox.id AND earlier.status IN ('pending', 'sending'))
       ORDER BY id LIMIT ${Number(limit)}`,
      [now.toISOString(), staleClaim],
    );
    let sent = 0;
    const blocked = new Set<string>();
    for (const row of rows) {
      const recipientKey = `${row.channel}:${row.recipient}`;
      if (blocked.has(recipientKey) || this.unrecorded.has(row.id) || !(await this.claim(row.id, now, staleClaim))) continue;
      const ok = await this.deliver(row, now);
      if (ok) sent += 1;
      // Keep a recipient's messages in order: after a failure, the later ones wait too.
      else blocked.add(recipientKey);
    }
    return sent;
  }


  private async claim(id: number, now: Date, staleClaim: string): Promise<boolean> {
    const claimed = await update(
      this.db,
      'outbox',
      { status: 'sending', claimed_by: this.instanceId, claimed_at: now.toISOString() },
      `id = ? AND (status = 'pending' OR (status = 'sending' AND claimed_at < ?))`,
      [id, staleClaim],
    );
    return claimed === 1;
  }

  private async deliver(row: OutboxRow, now: Date): Promise<boolean> {
    const sender = this.senders.get(row.channel);
    let failure: unknown;
    try {
      if (!sender) throw new PlatformApiError(row.channel, 'channel is not configured', undefined, true);
      const duplicateCheck = sender.duplicateCheckMs !== undefined && !(await this.repeatsRecent(row, sender.duplicateCheckMs));
      await sender.deliver(row.recipient, JSON.parse(row.payload) as OutboundMessage, { duplicateCheck });
    } catch (error) {
      failure = error;
    }
    if (failure === undefined) {
      this.observer?.send(row.channel, 'sent');
      // Only the send is in the try above: a failure to write "sent" must not pass for a failed send.
      await this.record(row.id, { status: 'sent', sent_at: this.clock.now().toISOString(), error: null });
      return true;
    }
    const reason = reasonOf(failure);
    if (failure instanceof SendDeferredError) {
      // The platform would drop it now (a per-member limit): it waits, and no attempt is counted.
      this.logger.info({ outboxId: row.id, channel: row.channel, retryAt: failure.retryAt.toISOString() }, 'send deferred');
      this.observer?.send(row.channel, 'retry');
      await this.record(row.id, { status: 'pending', next_attempt_at: failure.retryAt.toISOString(), error: reason.slice(0, 500) });
      return false;
    }
    const permanent = failure instanceof PlatformApiError && failure.permanent;
    this.logger.warn({ outboxId: row.id, channel: row.channel, attempts: row.attempts + 1, permanent, reason }, 'send failed');
    this.observer?.send(row.channel, permanent ? 'failed' : 'retry');
    await this.record(row.id, {
      status: permanent ? 'failed' : 'pending',
      attempts: row.attempts + 1,
      next_attempt_at: new Date(now.getTime() + backoffMs(row.attempts)).toISOString(),
      error: reason.slice(0, 500),
    });
    return false;
  }

  /**
   * True when the same message went (or was about to go) to the same person shortly before this one
   * was queued: the platform's duplicate check would drop this one, meant as a message of its own.
   * Only earlier rows count, and they were all tried before this one (a recipient's messages go in
   * order), so every attempt of a row gets the same answer and its resends the same bytes.
   */
  private async repeatsRecent(row: OutboxRow, windowMs: number): Promise<boolean> {
    const since = new Date(Date.parse(row.created_at) - windowMs).toISOString();
    const [earlier] = await select(
      this.db,
      `SELECT id FROM outbox WHERE channel = ? AND recipient = ? AND id < ? AND payload = ? AND (created_at >= ? OR sent_at >= ? OR claimed_at >= ?) LIMIT 1`,
      [row.channel, row.recipient, row.id, row.payload, since, since, since],
    );
    return earlier !== undefined;
  }

  /** Writes a send's outcome; when the database cannot take it, keeps it for the next pass. */
  private async record(id: number, values: Record<string, unknown>): Promise<void> {
    try {
      await this.finish(id, values);
    } catch (error) {
      this.unrecorded.set(id, values);
      this.logger.warn({ outboxId: id, status: values.status }, 'outcome of a send not written yet; kept until the database answers');
      throw error;
    }
  }

  private async recordUnrecorded(): Promise<void> {
    for (const [id, values] of this.unrecorded) {
      await this.finish(id, values);
      this.unrecorded.delete(id);
    }
  }

  private async finish(id: number, values: Record<string, unknown>): Promise<void> {
    await update(this.db, 'outbox', values, 'id = ?', [id]);
  }
}
