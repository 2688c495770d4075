import type { Clock } from '../../clock';
import { PlatformApiError } from '../../errors';
import type { StateStore } from '../../state/stateStore';

const MESSAGES_PER_MINUTE = 30;
const WINDOW_MS = 60_000;
const CONTENDED_TRIES = 8;

/**
 * WeCom silently drops an app's messages to a member beyond 30 a minute. Each send first takes a
 * slot in a sliding one-minute window kept in the state store (so every instance counts against
 * the same window); with no slot free the send is refused as retryable, and the outbox delivers it
 * once the window has moved on.
 */
export class MemberRateLimit {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
    private readonly perMinute = MESSAGES_PER_MINUTE,
  ) {}

  async reserve(member: string): Promise<void> {
    const key = `wecom:rate:${member}`;
    for (let attempt = 0; attempt < CONTENDED_TRIES; attempt++) {
      const previous = await this.state.get(key);
      const now = this.clock.now().getTime();
      const recent = parse(previous).filter((at) => at > now - WINDOW_MS && at <= now);
      if (recent.length >= this.perMinute) {
        throw new PlatformApiError('wecom', `member already had ${this.perMinute} messages in the last minute; deferred`, 'rate-limited');
      }
      if (await this.state.compareAndSet(key, previous, JSON.stringify([...recent, now]), WINDOW_MS + 1_000)) return;
    }
    throw new PlatformApiError('wecom', 'rate-limit window busy with concurrent sends; deferred', 'rate-limited');
  }
}

function parse(raw: string | undefined): number[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((at): at is number => typeof at === 'number') : [];
  } catch {
    return [];
  }
}
