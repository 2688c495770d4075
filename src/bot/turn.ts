import type { InboundEvent, OutboundMessage } from '../channels/port';
import type { Person } from '../roster/types';
import type { Executor } from '../storage/sql';
import type { Delivery } from './outbox';

/** One inbound event from a known person, and what the bot says in answer to it. */
export interface Turn {
  /** Unique per received event and the same on every redelivery of it. */
  readonly eventId: string;
  readonly event: InboundEvent;
  readonly person: Person;
  /**
   * The person sent this event before one that was already handled: it reached the bot late (a
   * platform retry overtaken by the next message) and must not fill whatever is asked now.
   */
  readonly arrivedLate: boolean;
  /** Answers on the channel the event came in on. */
  reply(message: OutboundMessage): void;
  /** Tells someone else, on their preferred channel. */
  notify(person: Person, message: OutboundMessage): void;
  /**
   * Has `write` done in the transaction that marks the event handled and queues its replies: the
   * durable copy of a dialogue's draft is written exactly when the turn counts as done.
   */
  alsoOnCompletion(write: Completion): void;
}

/** A write done in the transaction that completes the turn (see Turn.alsoOnCompletion). */
export interface Completion {
  (db: Executor): Promise<void>;
  /**
   * Does several completions made by the same `together` in one statement, when the turns of
   * several people commit in one transaction (see TurnCommit); without it each is done on its own.
   */
  readonly together?: (db: Executor, completions: readonly Completion[]) => Promise<void>;
}

export type TurnHandler = (turn: Turn) => Promise<void>;

export class CollectingTurn implements Turn {
  readonly deliveries: Delivery[] = [];
  readonly unreachable: Person[] = [];
  readonly completions: Completion[] = [];

  constructor(
    readonly eventId: string,
    readonly event: InboundEvent,
    readonly person: Person,
    private readonly address: (person: Person) => Omit<Delivery, 'message'> | undefined,
    readonly arrivedLate = false,
  ) {}

  alsoOnCompletion(write: Completion): void {
    this.completions.push(write);
  }

  reply(message: OutboundMessage): void {
    this.deliveries.push({ channel: this.event.channel, recipient: this.event.channelUserId, message });
  }

  notify(person: Person, message: OutboundMessage): void {
    const target = this.address(person);
    if (target) this.deliveries.push({ ...target, message });
    else this.unreachable.push(person);
  }
}
