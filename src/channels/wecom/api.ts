import { PlatformApiError } from '../../errors';
import type { Logger } from '../../logger';
import type { StateStore } from '../../state/stateStore';
import { platformFetch, platformJson } from '../shared/http';
import { SharedToken } from '../shared/sharedToken';
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

type Query = Record<string, string | number>;

/**
 * The WeCom server API. The access token lives in the state store, so every instance shares one;
 * a refresh happens under a lock, at most one at a time, and a request refused for an expired
 * token is repeated once with a fresh one. Nothing here retries beyond that: the outbox does.
 */
export class WecomApi {
  private readonly token: SharedToken;

  constructor(
    private readonly config: WecomConfig,
    state: StateStore,
    private readonly logger: Logger,
  ) {
    this.token = new SharedToken('wecom', state, `wecom:token:${config.corpId}:${config.agentId}`, () => this.issueToken(), config.apiTimeoutMs + 5_000, logger);
  }

  async get<T>(path: string, query: Query = {}): Promise<T & WecomResult> {
    return this.withToken((token) => this.request<T>('GET', path, { ...query, access_token: token }));
  }

  async post<T>(path: string, body: unknown): Promise<T & WecomResult> {
    return this.withToken((token) => this.request<T>('POST', path, { access_token: token }, body));
  }

  /**
   * A download (media/get): the file's bytes and headers, or WeCom's JSON refusal as a
   * PlatformApiError. A token refused as expired is renewed once, as for the JSON calls.
   */
  async download(path: string, query: Query, headers: Record<string, string> = {}): Promise<Response> {
    const once = async (token: string): Promise<Response | WecomResult> => {
      const url = new URL(this.config.apiBase + path);
      for (const [key, value] of Object.entries({ ...query, access_token: token })) url.searchParams.set(key, String(value));
      const response = await platformFetch('wecom', path, url, { method: 'GET', headers }, this.config.apiTimeoutMs);
      if (!response.ok) {
        await response.body?.cancel();
        throw new PlatformApiError('wecom', `${path}: HTTP ${response.status}`, response.status);
      }
      // Refusals come as JSON with an errcode; files come with their own type.
      if (!/^(application|text)\/(json|plain)/.test(response.headers.get('content-type') ?? '')) return response;
      const parsed = (await platformJson('wecom', path, response)) as WecomResult;
      return typeof parsed?.errcode === 'number' ? parsed : { errcode: -1, errmsg: 'answer has no errcode' };
    };
    const token = await this.token.current();
    let answer = await once(token);
    if (!(answer instanceof Response) && TOKEN_EXPIRED.has(answer.errcode)) answer = await once(await this.token.refresh(token));
    if (answer instanceof Response) return answer;
    checked(answer);
    throw new PlatformApiError('wecom', `${path}: answer is neither a file nor an error`);
  }

  private async withToken<T>(call: (token: string) => Promise<T & WecomResult>): Promise<T & WecomResult> {
    const token = await this.token.current();
    let result = await call(token);
    if (TOKEN_EXPIRED.has(result.errcode)) {
      this.logger.info({ errcode: result.errcode }, 'wecom access token rejected; refreshing once');
      result = await call(await this.token.refresh(token));
    }
    return checked(result);
  }

  private async issueToken(): Promise<{ token: string; expiresInS?: number }> {
    const result = checked(
      await this.request<{ access_token?: string; expires_in?: number }>('GET', '/cgi-bin/gettoken', {
        corpid: this.config.corpId,
        corpsecret: this.config.secret,
      }),
    );
    return { token: result.access_token ?? '', expiresInS: result.expires_in };
  }

  /** One HTTP exchange. Messages name the path only: the query carries the token and secret. */
  private async request<T>(method: 'GET' | 'POST', path: string, query: Query, body?: unknown): Promise<T & WecomResult> {
    const url = new URL(this.config.apiBase + path);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
    const response = await platformFetch(
      'wecom',
      path,
      url,
      {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json; charset=utf-8' },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      this.config.apiTimeoutMs,
    );
    if (!response.ok) {
      await response.body?.cancel();
      // WeCom answers its own errors with 200 and an errcode; another status is the network path
      // (proxy, outage, wrong WECOM_API_BASE), which is worth waiting out.
      throw new PlatformApiError('wecom', `${path}: HTTP ${response.status}`, response.status);
    }
    const parsed = await platformJson('wecom', path, response);
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
