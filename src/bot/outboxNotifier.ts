import type { ChannelName, OutboundMessage } from '../channels/port';
import type { Notifier } from '../domain/notifier';
import type { Logger } from '../logger';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Executor } from '../storage/sql';
import type { Outbox } from './outbox';
import { heldFor } from './outboxHold';
import { addressOf } from './recipients';

/**
 * Domain notifications go into the outbox inside the caller's transaction; those for the person
 * whose turn is running wait for the turn's answer.
 */
export class OutboxNotifier implements Notifier {
  constructor(
    private readonly outbox: Outbox,
    private readonly roster: RosterRepository,
    private readonly channels: readonly ChannelName[],
    private readonly logger: Logger,
  ) {}

  async notify(ex: Executor, personId: number, message: OutboundMessage): Promise<void> {
    const person = await this.roster.person(personId);
    const address = person && addressOf(person, this.channels);
    if (!address) {
      this.logger.warn({ personId }, 'person has no address on any enabled channel; notification not queued');
      return;
    }
    await this.outbox.enqueue([{ ...address, message }], ex, heldFor(address.channel, address.recipient));
  }
}
