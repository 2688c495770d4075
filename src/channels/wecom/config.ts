import { z } from 'zod';
import { channelSettings } from '../shared/settings';

export interface WecomConfig {
  corpId: string;
  agentId: number;
  secret: string;
  /** The callback Token: signs every callback, never sent anywhere. */
  token: string;
  encodingAesKey: string;
  apiBase: string;
  /** Callbacks whose timestamp is further than this from now are refused; 0 switches the check off. */
  maxSkewSeconds: number;
  apiTimeoutMs: number;
  /** message/send's duplicate_check_interval; 0 sends without enable_duplicate_check. */
  duplicateCheckSeconds: number;
}

const schema = z.object({
  WECOM_CORP_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be the CorpID shown under 我的企业 (letters and digits)'),
  WECOM_AGENT_ID: z.coerce.number().int().positive('must be the AgentId of the self-built app'),
  WECOM_SECRET: z.string().min(1, 'must be the Secret of the self-built app'),
  WECOM_TOKEN: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'must be the callback Token (1 to 32 letters or digits)'),
  WECOM_ENCODING_AES_KEY: z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey'),
  WECOM_API_BASE: z
    .string()
    .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, 'must be an http(s) URL such as https://qyapi.weixin.qq.com')
    .default('https://qyapi.weixin.qq.com')
    .transform((url) => url.replace(/\/+$/, '')),
  WECOM_MAX_SKEW_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  WECOM_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  // WeCom allows at most 4 hours.
  WECOM_DUPLICATE_CHECK_SECONDS: z.coerce.number().int().min(0).max(14_400).default(1_800),
});

/** WeCom is on exactly when WECOM_CORP_ID is set; see channelSettings. */
export function loadWecomConfig(environment: NodeJS.ProcessEnv): WecomConfig | undefined {
  const env = channelSettings(environment, 'WECOM_', 'WECOM_CORP_ID', schema);
  if (!env) return undefined;
  return {
    corpId: env.WECOM_CORP_ID,
    agentId: env.WECOM_AGENT_ID,
    secret: env.WECOM_SECRET,
    token: env.WECOM_TOKEN,
    encodingAesKey: env.WECOM_ENCODING_AES_KEY,
    apiBase: env.WECOM_API_BASE,
    maxSkewSeconds: env.WECOM_MAX_SKEW_SECONDS,
    apiTimeoutMs: env.WECOM_API_TIMEOUT_MS,
    duplicateCheckSeconds: env.WECOM_DUPLICATE_CHECK_SECONDS,
  };
}
