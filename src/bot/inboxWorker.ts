import type { DataSource } from 'typeorm';
import type { ChannelName, OutboundMessage } from '../channels/port';
import { GENERIC_APOLOGY, isExposed } from '../errors';
import { reasonOf, type Logger } from '../logger';
import type { TurnObserver, TurnOutcome } from '../metrics/metrics';
import type { RosterRepository } from '../roster/rosterRepository';
import { LockTimeoutError, type LockOptions, type StateStore } from '../state/stateStore';
import type { Inbox, InboxItem } from './inbox';
import { isInfrastructureFailure } from './infrastructure';
import { OutageLog } from './outageLog';
import type { Delivery, Outbox } from './outbox';
import { withinTurn } from './outboxHold';
import { addressOf } from './recipients';
import type { Person } from '../roster/types';
import { GroupCommit } from './groupCommit';
import { CollectingTurn, type Completion, type TurnHandler } from './turn';
import { TurnCommit } from './turnCommit';

export const UNKNOWN_USER_REPLY = '您尚未登记在名册中，请联系党群工作部。';

/** The sender of a user's waiting events, looked up once for all of them. */
type Sender = (event: InboxItem['event']) => Promise<Person | undefined>;

/**
 * Handles received events, one user at a time and in arrival order, under a per-user lock that
 * every instance shares. An event's replies are queued and the event marked done in one
 * transaction (shared with other users' turns that finish at the same time, see TurnCommit), so a
 * crash either redoes the whole turn or none of it.
 */
export class InboxWorker {
  private readonly commits: TurnCommit;
  /** The lanes' roster lookups made while one is in flight share the next query. */
  private readonly people: GroupCommit<InboxItem['event'], Person | undefined>;

  constructor(
    private readonly db: DataSource,
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
    roster: RosterRepository,
    private readonly state: StateStore,
    private readonly handler: TurnHandler,
    private readonly channels: readonly ChannelName[],
    private readonly logger: Logger,
    /** Users handled at once; 1 on SQLite, whose single connection cannot interleave transactions. */
    private readonly concurrency = 1,
    private readonly observer?: TurnObserver,
    private readonly now: () => Date = () => new Date(),
    private readonly outages: OutageLog = new OutageLog(logger),
  ) {
    this.commits = new TurnCommit(db, inbox, outbox);
    this.people = new GroupCommit(async (events) => (await roster.peopleByIdentities(events)).map((value) => ({ value })), 2, 100);
  }

  /**
   * Handles every user with waiting events, several users at a time. A user whose lock another
   * instance holds is skipped: that instance is draining them.
   */
  async drainAll(): Promise<number> {
    // Enough users that the lanes stay busy: a pass ends when its last user is done, lanes idle meanwhile.
    const users = await this.inbox.usersWithPending(Math.max(100, this.concurrency * 8));
    let handled = 0;
    let next = 0;
    const lane = async () => {
      while (next < users.length) {
        const userKey = users[next++];
        try {
          handled += await this.drainUser(userKey, { waitMs: 200 });
        } catch (error) {
          if (!(error instanceof LockTimeoutError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, users.length) }, lane));
    return handled;
  }

  async drainUser(userKey: string, lock?: LockOptions): Promise<number> {
    return this.state.withLock(`user:${userKey}`, async () => {
      let handled = 0;
      // Every event here is from the same user: one roster lookup serves them all.
      let person: Promise<Person | undefined> | undefined;
      const sender: Sender = (event) => (person ??= this.people.submit(event));
      for (const item of await this.inbox.pendingFor(userKey)) {
        if (await this.handleOne(item, sender)) handled += 1;
        else break;
      }
      return handled;
    }, lock);
  }

  /** False when the event must be retried later; the user's later events wait behind it. */
  private async handleOne(item: InboxItem, sender: Sender): Promise<boolean> {
    const started = performance.now();
    const outcome = await this.handleOneInner(item, sender);
    const latency = (this.now().getTime() - Date.parse(item.receivedAt)) / 1000;
    this.observer?.turn(item.event.channel, outcome, (performance.now() - started) / 1000, Number.isFinite(latency) ? latency : undefined);
    return outcome === 'done' || outcome === 'gave-up';
  }

  private async handleOneInner(item: InboxItem, sender: Sender): Promise<TurnOutcome> {
    const { event } = item;
    try {
      const { deliveries, completions } = await this.turn(item, sender);
      await this.commits.complete({ item, key: turnKey(item), deliveries, completions });
      await this.outages.succeeded('handling events');
      return 'done';
    } catch (error) {
      const reason = reasonOf(error);
      if (isInfrastructureFailure(error)) {
        // The database or Redis went away mid-turn: nothing about this event is wrong, so no
        // attempt is counted and an outage of any length never makes the bot give up on it. What the
        // turn did before failing is safe to repeat (a redelivered turn repeats its answer, and
        // submissions are keyed by draft). The user's later events wait behind it, in order.
        this.outages.down('handling events', error, { inboxId: item.id, deferred: true });
        return 'deferred';
      }
      const outcome = await this.inbox.markFailed(item.id, item.attempts, reason);
      this.logger.error({ inboxId: item.id, attempts: item.attempts + 1, outcome, reason }, 'handling failed');
      if (outcome === 'retry') return 'retry';
      await this.db.transaction(async (manager) => {
        await this.outbox.enqueue([{ channel: event.channel, recipient: event.channelUserId, message: text(GENERIC_APOLOGY) }], manager);
        // What an earlier attempt's committed changes told the person still goes out.
        await this.outbox.release([turnKey(item)], manager);
      });
      return 'gave-up';
    }
  }

  /** Runs the turn and returns what it says; an error meant for the person becomes the answer. */
  private async turn(item: InboxItem, sender: Sender): Promise<{ deliveries: Delivery[]; completions: Completion[] }> {
    const { event } = item;
    const person = await sender(event);
    if (!person) {
      this.logger.info({ inboxId: item.id, channel: event.channel }, 'event from a user not in the roster');
      return { deliveries: [{ channel: event.channel, recipient: event.channelUserId, message: text(UNKNOWN_USER_REPLY) }], completions: [] };
    }
    const late = item.arrivedLate;
    if (late) this.logger.info({ inboxId: item.id, channel: event.channel, kind: event.kind }, 'event arrived after a later one of the same person');
    const turn = new CollectingTurn(turnKey(item), event, person, (p) => addressOf(p, this.channels), late);
    try {
      await withinTurn({ key: turn.eventId, channel: event.channel, recipient: event.channelUserId }, () => this.handler(turn));
    } catch (error) {
      if (!isExposed(error)) throw error;
      turn.reply(text(error.message));
    }
    for (const p of turn.unreachable) this.logger.warn({ personId: p.id }, 'person has no address on any enabled channel');
    return { deliveries: turn.deliveries, completions: turn.completions };
  }
}

/** Unique per received event and the same on every redelivery and retry of it. */
function turnKey(item: InboxItem): string {
  return `${item.event.channel}:${item.dedupeKey}`;
}

function text(value: string): OutboundMessage {
  return { kind: 'text', text: value };
}
