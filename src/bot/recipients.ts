import type { ChannelName } from '../channels/port';
import type { Person } from '../roster/types';

const ADDRESS: Record<ChannelName, (p: Person) => string | null> = {
  wecom: (p) => p.wecomUserId,
  dingtalk: (p) => p.dingtalkUserId,
  simulator: (p) => p.code,
};

/**
 * Where a notification for a person goes: the first enabled channel, in the deployment's order of
 * preference, on which the roster knows them. Undefined means they cannot be reached at all.
 */
export function addressOf(person: Person, channels: readonly ChannelName[]): { channel: ChannelName; recipient: string } | undefined {
  for (const channel of channels) {
    const recipient = ADDRESS[channel](person);
    if (recipient) return { channel, recipient };
  }
  return undefined;
}
