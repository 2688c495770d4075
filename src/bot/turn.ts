import type { InboundEvent, OutboundMessage } from '../channels/port';
import type { Person } from '../roster/types';
import type { Delivery } from './outbox';

/** One inbound event from a known person, and what the bot says in answer to it. */
export interface Turn {
  /** Unique per received event and the same on every redelivery of it. */
  readonly eventId: string;
  readonly event: InboundEvent;
  readonly person: Person;
  /** Answers on the channel the event came in on. */
  reply(message: OutboundMessage): void;
  /** Tells someone else, on their preferred channel. */
  notify(person: Person, message: OutboundMessage): void;
}

export type TurnHandler = (turn: Turn) => Promise<void>;

export class CollectingTurn implements Turn {
  readonly deliveries: Delivery[] = [];
  readonly unreachable: Person[] = [];

  constructor(
    readonly eventId: string,
    readonly event: InboundEvent,
    readonly person: Person,
    private readonly address: (person: Person) => Omit<Delivery, 'message'> | undefined,
  ) {}

  reply(message: OutboundMessage): void {
    this.deliveries.push({ channel: this.event.channel, recipient: this.event.channelUserId, message });
  }

  notify(person: Person, message: OutboundMessage): void {
    const target = this.address(person);
    if (target) this.deliveries.push({ ...target, message });
    else this.unreachable.push(person);
  }
}
