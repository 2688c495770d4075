import type { Clock } from '../../clock';
import { PlatformApiError, SendDeferredError } from '../../errors';
import type { StateStore } from '../../state/stateStore';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const CONTENDED_TRIES = 8;

/** WeCom's limits on an app's messages to one member; past either, it silently drops them. */
export interface MemberLimits {
  perMinute: number;
  perHour: number;
}

export const WECOM_MEMBER_LIMITS: MemberLimits = { perMinute: 30, perHour: 1000 };

/**
 * Keeps the bot within WeCom's per-member limits (30 messages a minute, 1,000 an hour). Each send
 * first takes a slot in sliding one-minute and one-hour windows kept in the state store (so every
 * instance counts against the same windows); with no slot free the send is put off until the
 * oldest send in the full window leaves it, and the outbox keeps it until then.
 */
export class MemberRateLimit {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
    private readonly limits: MemberLimits = WECOM_MEMBER_LIMITS,
  ) {}

  async reserve(member: string): Promise<void> {
    const key = `wecom:rate:${member}`;
    for (let attempt = 0; attempt < CONTENDED_TRIES; attempt++) {
      const previous = await this.state.get(key);
      const now = this.clock.now().getTime();
      // Sends of the last hour, oldest first.
      const hour = parse(previous).filter((at) => at > now - HOUR_MS && at <= now).sort((a, b) => a - b);
      const minute = hour.filter((at) => at > now - MINUTE_MS);
      if (minute.length >= this.limits.perMinute) {
        throw this.deferred(`member already had ${this.limits.perMinute} messages in the last minute`, minute[minute.length - this.limits.perMinute] + MINUTE_MS);
      }
      if (hour.length >= this.limits.perHour) {
        throw this.deferred(`member already had ${this.limits.perHour} messages in the last hour`, hour[hour.length - this.limits.perHour] + HOUR_MS);
      }
      if (await this.state.compareAndSet(key, previous, JSON.stringify([...hour, now]), HOUR_MS + 1_000)) return;
    }
    throw new PlatformApiError('wecom', 'rate-limit window busy with concurrent sends; deferred', 'rate-limited');
  }

  private deferred(reason: string, freeAt: number): SendDeferredError {
    const retryAt = new Date(freeAt);
    return new SendDeferredError('wecom', `${reason}; deferred until ${retryAt.toISOString()}`, retryAt);
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
