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

/** How old a pass's claim may be when it sends a row: well inside the 60 s after which a claim is stale. */
const CLAIM_REFRESH_MS = 30_000;

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
    await this.releaseUntried();
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
    const claimed = await this.claim(rows.filter((row) => !this.unrecorded.has(row.id)), now, staleClaim);
    const repeats = await this.repeatsRecent(claimed.rows);
    let sent = 0;
    const blocked = new Set<string>();
    // Claimed and not tried yet: handed back if the pass stops early (see releaseUntried).
    const untried = new Set(claimed.rows.map((row) => Number(row.id)));
    try {
      for (const row of claimed.rows) {
        const recipientKey = `${row.channel}:${row.recipient}`;
        if (blocked.has(recipientKey)) continue;
        untried.delete(Number(row.id));
        if (!(await this.stillClaimed(Number(row.id), claimed.by, now))) continue;
        const ok = await this.deliver(row, now, !repeats.has(Number(row.id)));
        if (ok) sent += 1;
        // Keep a recipient's messages in order: after a failure, the later ones wait too.
        else blocked.add(recipientKey);
      }
    } finally {
      if (untried.size > 0) this.untried.set(claimed.by, [...untried]);
    }
    await this.releaseUntried();
    return sent;
  }

  /** Passes so far: each claims under a name of its own, so that two passes never take each other's rows for theirs. */
  private passes = 0;

  /**
   * Claims the rows for this pass in one UPDATE; when another instance took some of them first, one
   * SELECT tells which are this pass's. Only this pass's claim name and time mark them.
   */
  private async claim(rows: OutboxRow[], now: Date, staleClaim: string): Promise<{ by: string; rows: OutboxRow[] }> {
    const by = `${this.instanceId}:${(this.passes += 1)}`;
    if (rows.length === 0) return { by, rows };
    const ids = rows.map((row) => row.id);
    const marks = ids.map(() => '?').join(', ');
    const claimedAt = now.toISOString();
    const claimed = await update(
      this.db,
      'outbox',
      { status: 'sending', claimed_by: by, claimed_at: claimedAt },
      `id IN (${marks}) AND (status = 'pending' OR (status = 'sending' AND claimed_at < ?))`,
      [...ids, staleClaim],
    );
    if (claimed === rows.length) return { by, rows };
    const ours = await select<{ id: number | string }>(this.db, `SELECT id FROM outbox WHERE id IN (${marks}) AND status = 'sending' AND claimed_by = ? AND claimed_at = ?`, [...ids, by, claimedAt]);
    const mine = new Set(ours.map((row) => Number(row.id)));
    return { by, rows: rows.filter((row) => mine.has(Number(row.id))) };
  }

  /**
   * A pass claims its rows when it starts, and a slow platform can make it reach a row long after:
   * one reached past CLAIM_REFRESH_MS is claimed again under the pass's name before it is sent, so
   * that no row is sent past the 60 s after which another instance may take a claim over. False when
   * another instance has taken it over meanwhile: the row is theirs, and sent once, by them.
   */
  private async stillClaimed(id: number, by: string, claimedAt: Date): Promise<boolean> {
    const now = this.clock.now();
    if (now.getTime() - claimedAt.getTime() < CLAIM_REFRESH_MS) return true;
    return (await update(this.db, 'outbox', { claimed_at: now.toISOString() }, `id = ? AND status = 'sending' AND claimed_by = ?`, [id, by])) === 1;
  }

  /**
   * Rows a pass claimed and stopped before trying (the database went away while it recorded a send,
   * or an earlier message to the same person failed): back to pending before anything else is sent,
   * rather than waiting out the 60 s a stale claim takes. Never sent, so nothing is sent twice.
   */
  private readonly untried = new Map<string, number[]>();

  private async releaseUntried(): Promise<void> {
    for (const [by, ids] of this.untried) {
      await execute(this.db, `UPDATE outbox SET status = 'pending' WHERE id IN (${ids.map(() => '?').join(', ')}) AND status = 'sending' AND claimed_by = ?`, [...ids, by]);
      this.untried.delete(by);
    }
  }

  /** `unrepeated`: no earlier message said the same to the same person within the duplicate check's window. */
  private async deliver(row: OutboxRow, now: Date, unrepeated: boolean): Promise<boolean> {
    const sender = this.senders.get(row.channel);
    let failure: unknown;
    try {
      if (!sender) throw new PlatformApiError(row.channel, 'channel is not configured', undefined, true);
      const duplicateCheck = sender.duplicateCheckMs !== undefined && unrepeated;
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
   * The rows whose same message went (or was about to go) to the same person shortly before it was
   * queued: the platform's duplicate check would drop such a row, meant as a message of its own.
   * Only earlier rows count, and they were all tried before this one (a recipient's messages go in
   * order), so every attempt of a row gets the same answer and its resends the same bytes. One
   * query for the pass: each row's own EXISTS, joined by UNION ALL.
   */
  private async repeatsRecent(rows: OutboxRow[]): Promise<Set<number>> {
    const checked = rows.flatMap((row) => {
      const windowMs = this.senders.get(row.channel)?.duplicateCheckMs;
      return windowMs === undefined ? [] : [{ row, since: new Date(Date.parse(row.created_at) - windowMs).toISOString() }];
    });
    if (checked.length === 0) return new Set();
    const found = await select<{ id: number | string }>(
      this.db,
      checked
        .map(
          () =>
            `SELECT ? AS id WHERE EXISTS (SELECT 1 FROM outbox WHERE channel = ? AND recipient = ? AND id < ? AND payload = ? AND (created_at >= ? OR sent_at >= ? OR claimed_at >= ?))`,
        )
        .join(' UNION ALL '),
      checked.flatMap(({ row, since }) => [row.id, row.channel, row.recipient, row.id, row.payload, since, since, since]),
    );
    return new Set(found.map((row) => Number(row.id)));
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
