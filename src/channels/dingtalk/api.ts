import { PlatformApiError } from '../../errors';
import type { Logger } from '../../logger';
import type { StateStore } from '../../state/stateStore';
import { platformFetch, platformJson } from '../shared/http';
import { SharedToken } from '../shared/sharedToken';
import type { DingtalkConfig } from './config';
import { classify, TOKEN_REFUSED } from './errors';

/** What api.dingtalk.com answers a refused request with, beside its HTTP status. */
interface ApiError {
  code?: string;
  message?: string;
}

/** oapi's codes for an invalid or expired access_token. */
const OAPI_TOKEN_REJECTED = new Set([40014, 42001]);
/**
 * oapi codes a later attempt can outlive: busy, throttled (90002, 90018), and setup an
 * administrator fixes (IP allow-list 60020 and its wrapper 88, permissions 60011).
 */
const OAPI_TRANSIENT = new Set([-1, 88, 90002, 90018, 60011, 60020, ...OAPI_TOKEN_REJECTED]);

/**
 * The DingTalk server APIs: the current one on api.dingtalk.com and the older oapi host, which
 * still serves the department and user listings. One access token serves both; it lives in the
 * state store, shared by every instance, refreshed under a lock, and a request refused for its
 * token is repeated once with a fresh one. Retries beyond that belong to the outbox.
 */
export class DingtalkApi {
  private readonly token: SharedToken;

  constructor(
    private readonly config: DingtalkConfig,
    state: StateStore,
    private readonly logger: Logger,
  ) {
    this.token = new SharedToken('dingtalk', state, `dingtalk:token:${config.appKey}`, () => this.issueToken(), config.apiTimeoutMs + 5_000, logger);
  }

  async call<T>(method: 'POST' | 'PUT', path: string, body: unknown): Promise<T> {
    const token = await this.token.current();
    try {
      return await this.exchange<T>(method, path, body, token);
    } catch (error) {
      if (!(error instanceof PlatformApiError) || error.code !== TOKEN_REFUSED) throw error;
      this.logger.info({ path }, 'dingtalk access token rejected; refreshing once');
      return this.exchange<T>(method, path, body, await this.token.refresh(token));
    }
  }

  async oapi<T>(path: string, body: unknown): Promise<T> {
    const token = await this.token.current();
    let answer = await this.oapiExchange<T>(path, body, token);
    if (OAPI_TOKEN_REJECTED.has(answer.errcode)) {
      this.logger.info({ path, errcode: answer.errcode }, 'dingtalk access token rejected by oapi; refreshing once');
      answer = await this.oapiExchange<T>(path, body, await this.token.refresh(token));
    }
    if (answer.errcode !== 0) {
      throw new PlatformApiError('dingtalk', `${path}: ${answer.errmsg?.slice(0, 200) ?? 'error'}`, answer.errcode, !OAPI_TRANSIENT.has(answer.errcode));
    }
    return answer;
  }

  private async issueToken(): Promise<{ token: string; expiresInS?: number }> {
    const answer = await this.exchange<{ accessToken?: string; expireIn?: number }>('POST', '/v1.0/oauth2/accessToken', {
      appKey: this.config.appKey,
      appSecret: this.config.appSecret,
    });
    return { token: answer.accessToken ?? '', expiresInS: answer.expireIn };
  }

  private async exchange<T>(method: 'POST' | 'PUT', path: string, body: unknown, token?: string): Promise<T> {
    const response = await platformFetch(
      'dingtalk',
      path,
      new URL(this.config.apiBase + path),
      {
        method,
        headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { 'x-acs-dingtalk-access-token': token } : {}) },
        body: JSON.stringify(body),
      },
      this.config.apiTimeoutMs,
    );
    const answer = await platformJson('dingtalk', path, response);
    if (response.ok) return answer as T;
    const { code, message } = (answer ?? {}) as ApiError;
    const { verdict, undocumented } = classify(response.status, typeof code === 'string' ? code : undefined);
    const note = undocumented ? ' [undocumented answer; retried]' : '';
    throw new PlatformApiError('dingtalk', `${path}: HTTP ${response.status} ${message?.slice(0, 200) ?? ''}${note}`.trim(), code ?? response.status, verdict === 'permanent');
  }

  private async oapiExchange<T>(path: string, body: unknown, token: string): Promise<T & { errcode: number; errmsg?: string }> {
    const url = new URL(this.config.oapiBase + path);
    url.searchParams.set('access_token', token);
    const response = await platformFetch(
      'dingtalk',
      path,
      url,
      { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) },
      this.config.apiTimeoutMs,
    );
    if (!response.ok) {
      await response.body?.cancel();
      // oapi answers its own errors with 200 and an errcode; another status is the network path.
      throw new PlatformApiError('dingtalk', `${path}: HTTP ${response.status}`, response.status);
    }
    const answer = await platformJson('dingtalk', path, response);
    if (!answer || typeof answer !== 'object' || typeof (answer as { errcode?: unknown }).errcode !== 'number') {
      throw new PlatformApiError('dingtalk', `${path}: answer has no errcode`);
    }
    return answer as T & { errcode: number; errmsg?: string };
  }
}
