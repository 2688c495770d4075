import { z } from 'zod';
import { ConfigError } from '../config';

/**
 * The web pages' own settings: how long a sign-in lasts, how many sign-in attempts an address may
 * make, and the messengers' sign-in hosts and ids that the bot's chat side does not need.
 */
export interface WebConfig {
  sessionHours: number;
  /** Sign-in attempts one client address may make per window before it is answered 429. */
  signInAttempts: number;
  signInWindowMinutes: number;
  wecom: { oauthBase: string; loginBase: string };
  dingtalk: { loginBase: string; corpId?: string; jsapiUrl: string };
}

const url = (example: string) =>
  z
    .string()
    .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, `must be an http(s) URL such as ${example}`)
    .transform((value) => value.replace(/\/+$/, ''));

const schema = z.object({
  WEB_SESSION_HOURS: z.coerce.number().min(0.25).max(24 * 30).default(8),
  WEB_SIGNIN_ATTEMPTS: z.coerce.number().int().min(1).max(10_000).default(20),
  WEB_SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(10),
  WECOM_OAUTH_BASE: url('https://open.weixin.qq.com').default('https://open.weixin.qq.com'),
  WECOM_LOGIN_BASE: url('https://login.work.weixin.qq.com').default('https://login.work.weixin.qq.com'),
  DINGTALK_LOGIN_BASE: url('https://login.dingtalk.com').default('https://login.dingtalk.com'),
  DINGTALK_CORP_ID: z.string().regex(/^[\w-]{1,64}$/, 'must be the CorpId of the organisation (开发者后台 → 基础信息)').optional(),
  DINGTALK_JSAPI_URL: z
    .string()
    .regex(/^https?:\/\/[^\s]+\.js$/, 'must be the URL of dingtalk.open.js')
    .default('https://g.alicdn.com/dingding/dingtalk-jsapi/3.0.25/dingtalk.open.js'),
});

export function loadWebConfig(environment: NodeJS.ProcessEnv = process.env): WebConfig {
  const present = Object.fromEntries(Object.entries(environment).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const env = parsed.data;
  return {
    sessionHours: env.WEB_SESSION_HOURS,
    signInAttempts: env.WEB_SIGNIN_ATTEMPTS,
    signInWindowMinutes: env.WEB_SIGNIN_WINDOW_MINUTES,
    wecom: { oauthBase: env.WECOM_OAUTH_BASE, loginBase: env.WECOM_LOGIN_BASE },
    dingtalk: { loginBase: env.DINGTALK_LOGIN_BASE, corpId: env.DINGTALK_CORP_ID, jsapiUrl: env.DINGTALK_JSAPI_URL },
  };
}
