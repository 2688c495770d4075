import type { WecomApi } from '../../channels/wecom/api';
import type { WecomConfig } from '../../channels/wecom/config';
import type { WebConfig } from '../config';

/**
 * Signing in with WeCom. Inside the WeCom app: 网页授权 (OAuth2, scope snsapi_base, a silent
 * redirect). On a desktop browser: 企业微信 Web 登录 of the self-built app (a QR code scanned with
 * WeCom). Both come back to the redirect URI with `code` and `state`, and the code is exchanged for
 * the member's userid with /cgi-bin/auth/getuserinfo and the app's access token.
 */
export class WecomLogin {
  constructor(
    private readonly config: WecomConfig,
    private readonly web: WebConfig['wecom'],
    private readonly api: WecomApi,
  ) {}

  authorizeUrl(flow: 'oauth' | 'qr', redirectUri: string, state: string): string {
    if (flow === 'oauth') {
      const url = new URL(`${this.web.oauthBase}/connect/oauth2/authorize`);
      url.search = new URLSearchParams({
        appid: this.config.corpId,
        redirect_uri: redirectUri,
        response_type: 'code',
        scope: 'snsapi_base',
        state,
        agentid: String(this.config.agentId),
      }).toString();
      // WeCom's client reads the fragment to know it should attach the member's identity.
      return `${url.toString()}#wechat_redirect`;
    }
    const url = new URL(`${this.web.loginBase}/wwlogin/sso/login`);
    url.search = new URLSearchParams({
      login_type: 'CorpApp',
      appid: this.config.corpId,
      agentid: String(this.config.agentId),
      redirect_uri: redirectUri,
      state,
      lang: 'zh',
    }).toString();
    return url.toString();
  }

  /** The member's userid, or undefined for someone who is not a member of the organisation (openid only). */
  async userId(code: string): Promise<string | undefined> {
    const answer = await this.api.get<{ userid?: string; openid?: string }>('/cgi-bin/auth/getuserinfo', { code });
    return answer.userid || undefined;
  }
}
