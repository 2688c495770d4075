import type { DingtalkApi } from '../../channels/dingtalk/api';
import type { DingtalkConfig } from '../../channels/dingtalk/config';
import { platformFetch, platformJson } from '../../channels/shared/http';
import { PlatformApiError } from '../../errors';
import type { WebConfig } from '../config';

/** oapi's answer for a unionid that is no member of this organisation (用户不存在). */
const NOT_A_MEMBER = new Set([60121]);

/**
 * Signing in with DingTalk. In the workbench: 免登 — the page asks the JSAPI for an auth code
 * (dd.getAuthCode with the CorpId) and the server exchanges it for the userid with
 * /topapi/v2/user/getuserinfo. On a desktop browser: 扫码登录, OAuth2 at login.dingtalk.com,
 * which comes back with `authCode`; that becomes a user access token (/v1.0/oauth2/userAccessToken),
 * the token names the person's unionId (/v1.0/contact/users/me), and the unionId the userid in this
 * organisation (/topapi/user/getbyunionid).
 */
export class DingtalkLogin {
  constructor(
    private readonly config: DingtalkConfig,
    private readonly web: WebConfig['dingtalk'],
    private readonly api: DingtalkApi,
  ) {}

  get corpId(): string | undefined {
    return this.web.corpId;
  }

  get jsapiUrl(): string {
    return this.web.jsapiUrl;
  }

  authorizeUrl(redirectUri: string, state: string): string {
    const url = new URL(`${this.web.loginBase}/oauth2/auth`);
    url.search = new URLSearchParams({
      redirect_uri: redirectUri,
      response_type: 'code',
      client_id: this.config.appKey,
      scope: 'openid',
      state,
      prompt: 'consent',
    }).toString();
    return url.toString();
  }

  /** 免登: the workbench's auth code to the userid; undefined when DingTalk names nobody. */
  async userIdFromAuthCode(code: string): Promise<string | undefined> {
    const { result } = await this.api.oapi<{ result?: { userid?: string } }>('/topapi/v2/user/getuserinfo', { code });
    return result?.userid || undefined;
  }

  /** 扫码登录: the OAuth2 code to the userid in this organisation; undefined for an outsider. */
  async userIdFromOAuthCode(code: string): Promise<string | undefined> {
    const token = await this.exchange<{ accessToken?: string }>('POST', '/v1.0/oauth2/userAccessToken', {
      body: { clientId: this.config.appKey, clientSecret: this.config.appSecret, code, grantType: 'authorization_code' },
    });
    if (!token.accessToken) throw new PlatformApiError('dingtalk', '/v1.0/oauth2/userAccessToken: no accessToken', undefined, true);
    const me = await this.exchange<{ unionId?: string }>('GET', '/v1.0/contact/users/me', { token: token.accessToken });
    if (!me.unionId) return undefined;
    try {
      const { result } = await this.api.oapi<{ result?: { userid?: string } }>('/topapi/user/getbyunionid', { unionid: me.unionId });
      return result?.userid || undefined;
    } catch (error) {
      if (error instanceof PlatformApiError && NOT_A_MEMBER.has(Number(error.code))) return undefined;
      throw error;
    }
  }

  /** A call on the person's behalf: with their token, not the app's, so not through DingtalkApi. */
  private async exchange<T>(method: 'GET' | 'POST', path: string, options: { body?: unknown; token?: string }): Promise<T> {
    const response = await platformFetch(
      'dingtalk',
      path,
      new URL(this.config.apiBase + path),
      {
        method,
        headers: { 'content-type': 'application/json; charset=utf-8', ...(options.token ? { 'x-acs-dingtalk-access-token': options.token } : {}) },
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
      },
      this.config.apiTimeoutMs,
    );
    const answer = await platformJson('dingtalk', path, response);
    if (response.ok) return answer as T;
    const { code, message } = (answer ?? {}) as { code?: string; message?: string };
    throw new PlatformApiError('dingtalk', `${path}: HTTP ${response.status} ${message?.slice(0, 200) ?? ''}`.trim(), code ?? response.status, response.status < 500);
  }
}
