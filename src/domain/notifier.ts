import type { OutboundMessage } from '../channels/port';
import type { Executor } from '../storage/sql';

/**
 * How the domain tells people things: queued in the same transaction as the change it reports,
 * so a decision and its notifications are committed together or not at all.
 */
export interface Notifier {
  notify(ex: Executor, personId: number, message: OutboundMessage): Promise<void>;
}
