import { AsyncLocalStorage } from 'node:async_hooks';
import type { ChannelName } from '../channels/port';

/** The person a turn answers, where its answer goes, and the key its held notifications carry. */
export interface TurnScope {
  key: string;
  channel: ChannelName;
  recipient: string;
}

const scope = new AsyncLocalStorage<TurnScope>();

/**
 * Runs a turn's handler so that what the domain tells the person themself meanwhile (the next
 * card when they hold the next stage too, their 【待办】, a card greyed out) is held in the outbox
 * and sent after the turn's own answer ("已记录您的意见" first), however the transactions fall.
 */
export function withinTurn<T>(turn: TurnScope, run: () => Promise<T>): Promise<T> {
  return scope.run(turn, run);
}

/** The turn whose handler is running here, when the notification is for its own person. */
export function heldFor(channel: ChannelName, recipient: string): string | undefined {
  const turn = scope.getStore();
  return turn && turn.channel === channel && turn.recipient === recipient ? turn.key : undefined;
}
