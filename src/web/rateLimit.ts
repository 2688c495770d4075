import type { Clock } from '../clock';
import type { StateStore } from '../state/stateStore';

/**
 * A fixed-window counter in the shared state store: every instance counts into the same window,
 * so a client cannot multiply its allowance by reaching several of them.
 */
export class AttemptLimit {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt by `who`; false when this one is over the limit. */
  async take(who: string): Promise<boolean> {
    const window = Math.floor(this.clock.now().getTime() / this.windowMs);
    const key = `web:attempts:${window}:${who}`;
    for (let tries = 0; tries < 20; tries++) {
      const current = await this.state.get(key);
      const count = Number(current ?? 0);
      if (count >= this.limit) return false;
      if (await this.state.compareAndSet(key, current, String(count + 1), this.windowMs)) return true;
    }
    // Twenty racing writers in a row: whoever this is, they are not a person signing in.
    return false;
  }
}
