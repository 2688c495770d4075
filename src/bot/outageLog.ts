import type { Logger } from '../logger';
import { reasonOf } from '../logger';

/**
 * Says once that the database or Redis went away, and once that it came back, for each kind of
 * work that noticed (a background task, handling events), instead of one line a pass for as long
 * as the outage lasts. What noticed is named; the time it lasted is in the second line. A pass that
 * happened to need neither service proves nothing: `healthy` (both answer) decides that it is over.
 */
export class OutageLog {
  private readonly since = new Map<string, number>();

  constructor(
    private readonly logger: Logger,
    private readonly healthy: () => Promise<boolean> = async () => true,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** After work that succeeded: the end of an outage it had noticed, once both services answer. */
  async succeeded(what: string): Promise<void> {
    if (this.since.has(what) && (await this.healthy())) this.up(what);
  }

  down(what: string, error: unknown, detail: Record<string, unknown> = {}): void {
    if (this.since.has(what)) return;
    this.since.set(what, this.now());
    this.logger.warn({ task: what, ...detail, reason: reasonOf(error) }, 'database or state store unavailable; waiting for it to come back');
  }

  up(what: string): void {
    const since = this.since.get(what);
    if (since === undefined) return;
    this.since.delete(what);
    this.logger.info({ task: what, downMs: this.now() - since }, 'database or state store available again');
  }
}
