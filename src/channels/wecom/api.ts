import { PlatformApiError } from '../../errors';
import type { Logger } from '../../logger';
import type { StateStore } from '../../state/stateStore';
import type { WecomConfig } from './config';

export interface WecomResult {
  errcode: number;
  errmsg?: string;
}

const TOKEN_EXPIRED = new Set([40014, 42001]);

/**
 * Codes that a later attempt can outlive: WeCom being busy or throttling, and setup mistakes an
 * administrator fixes (secret, CorpID, AgentId, IP allow-list, app permissions). Anything else
 * describes the request itself and will fail the same way every time, so retrying it would only
 * hold up the member's later messages in the outbox.
 */
const TRANSIENT = new Set([-1, 6000, 40001, 40013, 40056, 41001, 45009, 45033, 48002, 60011, 60020, ...TOKEN_EXPIRED]);

/** Refresh this long before WeCom's stated expiry, so no request carries a token about to lapse. */
const EARLY_REFRESH_MS = 5 * 60_000;

type Query = Record<string, string | number>;

/**
 * The WeCom server API. The access token lives in the state store, so every instance shares one;
 * a refresh happens under a lock, at most one at a time, and a request refused for an expired
 * token is repeated once with a fresh one. Nothing here retries beyond that: the outbox does.
 */
export class WecomApi {
  private readonly tokenKey: string;

  constructor(
    private readonly config: WecomConfig,
    private readonly state: StateStore,
    private readonly logger: Logger,
  ) {
    this.tokenKey = `wecom:token:${config.corpId}:${config.agentId}`;
  }

  async get<T>(path: string, query: Query = {}): Promise<T & WecomResult> {
    return this.withToken((token) => this.request<T>('GET', path, { ...query, access_token: token }));
  }

  async post<T>(path: string, body: unknown): Promise<T & WecomResult> {
    return this.withToken((token) => this.request<T>('POST', path, { access_token: token }, body));
  }

  private async withToken<T>(call: (token: string) => Promise<T & WecomResult>): Promise<T & WecomResult> {
    const token = await this.accessToken();
    let result = await call(token);
    if (TOKEN_EXPIRED.has(result.errcode)) {
      this.logger.info({ errcode: result.errcode }, 'wecom access token rejected; refreshing once');
      result = await call(await this.refresh(token));
    }
    return checked(result);
  }

  private async accessToken(): Promise<string> {
    return (await this.state.get(this.tokenKey)) ?? this.refresh(undefined);
  }

  /** `stale` is the token that failed: if another instance already replaced it, that one is used. */
  private async refresh(stale: string | undefined): Promise<string> {
    return this.state.withLock(
      `${this.tokenKey}:refresh`,
      async () => {
        const current = await this.state.get(this.tokenKey);
        if (current && current !== stale) return current;
        const result = checked(
          await this.request<{ access_token?: string; expires_in?: number }>('GET', '/cgi-bin/gettoken', {
            corpid: this.config.corpId,
            corpsecret: this.config.secret,
          }),
        );
        if (!result.access_token) throw new PlatformApiError('wecom', 'gettoken answered without an access_token');
        const lifetimeMs = (result.expires_in ?? 7200) * 1000;
        await this.state.set(this.tokenKey, result.access_token, Math.max(60_000, lifetimeMs - EARLY_REFRESH_MS));
        this.logger.info({ expiresInS: result.expires_in }, 'wecom access token refreshed');
        return result.access_token;
      },
      { waitMs: this.config.apiTimeoutMs + 5_000, leaseMs: this.config.apiTimeoutMs + 5_000 },
    );
  }

  /** One HTTP exchange. Messages name the path only: the query carries the token and secret. */
  private async request<T>(method: 'GET' | 'POST', path: string, query: Query, body?: unknown): Promise<T & WecomResult> {
    const url = new URL(this.config.apiBase + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json; charset=utf-8' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.apiTimeoutMs),
      });
    } catch (error) {
      const e = error as { name?: string; cause?: { code?: string }; message?: string };
      const reason = e.name === 'TimeoutError' ? `timed out after ${this.config.apiTimeoutMs} ms` : (e.cause?.code ?? e.message ?? 'network error');
      throw new PlatformApiError('wecom', `${path}: ${reason}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      // WeCom answers its own errors with 200 and an errcode; another status is the network path
      // (proxy, outage, wrong WECOM_API_BASE), which is worth waiting out.
      throw new PlatformApiError('wecom', `${path}: HTTP ${response.status}`, response.status);
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      throw new PlatformApiError('wecom', `${path}: answer is not JSON`);
    }
    if (!parsed || typeof parsed !== 'object' || typeof (parsed as WecomResult).errcode !== 'number') {
      throw new PlatformApiError('wecom', `${path}: answer has no errcode`);
    }
    return parsed as T & WecomResult;
  }
}

function checked<T extends WecomResult>(result: T): T {
  if (result.errcode === 0) return result;
  throw new PlatformApiError('wecom', result.errmsg?.slice(0, 200) ?? 'error', result.errcode, !TRANSIENT.has(result.errcode));
}
