import { PlatformApiError } from '../../errors';
import type { Logger } from '../../logger';
import type { StateStore } from '../../state/stateStore';

/** Refresh this long before the platform's stated expiry, so no request carries a token about to lapse. */
const EARLY_REFRESH_MS = 5 * 60_000;

export interface IssuedToken {
  token: string;
  expiresInS?: number;
}

/**
 * A platform access token kept in the state store, so every instance shares one. A refresh happens
 * under a lock, at most one at a time across instances; a caller whose token was refused passes it
 * as `stale`, and if another instance has already replaced it, that replacement is used as is.
 */
export class SharedToken {
  constructor(
    private readonly platform: string,
    private readonly state: StateStore,
    private readonly key: string,
    private readonly issue: () => Promise<IssuedToken>,
    private readonly lockMs: number,
    private readonly logger: Logger,
  ) {}

  async current(): Promise<string> {
    return (await this.state.get(this.key)) ?? this.refresh(undefined);
  }

  async refresh(stale: string | undefined): Promise<string> {
    return this.state.withLock(
      `${this.key}:refresh`,
      async () => {
        const current = await this.state.get(this.key);
        if (current && current !== stale) return current;
        const { token, expiresInS } = await this.issue();
        if (!token) throw new PlatformApiError(this.platform, 'the token endpoint answered without a token');
        const lifetimeMs = (expiresInS ?? 7200) * 1000;
        await this.state.set(this.key, token, Math.max(60_000, lifetimeMs - EARLY_REFRESH_MS));
        this.logger.info({ expiresInS }, `${this.platform} access token refreshed`);
        return token;
      },
      { waitMs: this.lockMs, leaseMs: this.lockMs },
    );
  }
}
