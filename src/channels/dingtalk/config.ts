import { z } from 'zod';
import { ConfigError } from '../../config';
import { channelSettings } from '../shared/settings';

export interface DingtalkConfig {
  mode: 'http' | 'stream';
  /** Client ID (AppKey) of the internal app; also the receive id of its event subscription. */
  appKey: string;
  appSecret: string;
  robotCode: string;
  /** Interactive card template with the variables described in messages.ts. */
  cardTemplateId: string;
  /** Event subscription (HTTP push) Token and aes_key; both or neither. */
  events?: { token: string; aesKey: string };
  /** HTTP mode only: where DingTalk posts card clicks, registered under `routeKey`, signed with `secret`. */
  cardCallback?: { url: string; routeKey: string; secret: string };
  apiBase: string;
  /** The older host, still the only one for the department and user listings. */
  oapiBase: string;
  apiTimeoutMs: number;
  /** Stream mode: consecutive failed connection attempts after which the client stops and says so. */
  streamMaxReconnects: number;
}

const url = (example: string) =>
  z
    .string()
    .regex(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, `must be an http(s) URL such as ${example}`)
    .transform((value) => value.replace(/\/+$/, ''));

const schema = z.object({
  DINGTALK_MODE: z.enum(['http', 'stream']).default('http'),
  DINGTALK_APP_KEY: z.string().regex(/^[\w-]{1,64}$/, 'must be the Client ID (AppKey) of the internal app'),
  DINGTALK_APP_SECRET: z.string().min(1, 'must be the Client Secret (AppSecret) of the internal app'),
  DINGTALK_ROBOT_CODE: z.string().regex(/^[\w-]{1,64}$/, 'must be the robot code shown on the robot page').optional(),
  DINGTALK_CARD_TEMPLATE_ID: z.string().regex(/^[\w.-]{1,128}$/, 'must be the id of the published approval card template'),
  DINGTALK_TOKEN: z.string().regex(/^[A-Za-z0-9]{1,64}$/, 'must be the event subscription Token (letters and digits)').optional(),
  DINGTALK_AES_KEY: z.string().regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character aes_key of the event subscription').optional(),
  DINGTALK_CARD_CALLBACK_URL: url('https://bot.example.cn/dingtalk/card').optional(),
  DINGTALK_CARD_ROUTE_KEY: z.string().regex(/^[\w.-]{1,64}$/, 'must be letters, digits, dots, dashes or underscores').default('dandang-card'),
  DINGTALK_CARD_CALLBACK_SECRET: z.string().min(16, 'must be a random secret of at least 16 characters').optional(),
  DINGTALK_API_BASE: url('https://api.dingtalk.com').default('https://api.dingtalk.com'),
  DINGTALK_OAPI_BASE: url('https://oapi.dingtalk.com').default('https://oapi.dingtalk.com'),
  DINGTALK_API_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  DINGTALK_STREAM_MAX_RECONNECTS: z.coerce.number().int().min(1).max(1000).default(20),
});

type Env = z.infer<typeof schema>;

function pairs(env: Env): string[] {
  const problems: string[] = [];
  if (Boolean(env.DINGTALK_TOKEN) !== Boolean(env.DINGTALK_AES_KEY)) {
    problems.push('DINGTALK_TOKEN and DINGTALK_AES_KEY: the event subscription needs both or neither');
  }
  // Without them approval cards would arrive with buttons that nobody hears.
  if (env.DINGTALK_MODE === 'http' && !(env.DINGTALK_CARD_CALLBACK_URL && env.DINGTALK_CARD_CALLBACK_SECRET)) {
    problems.push('DINGTALK_CARD_CALLBACK_URL and DINGTALK_CARD_CALLBACK_SECRET: required in http mode, card clicks are posted there');
  }
  return problems;
}

/** DingTalk is on exactly when DINGTALK_APP_KEY is set; see channelSettings. */
export function loadDingtalkConfig(environment: NodeJS.ProcessEnv): DingtalkConfig | undefined {
  const env = channelSettings(environment, 'DINGTALK_', 'DINGTALK_APP_KEY', schema);
  if (!env) return undefined;
  const problems = pairs(env);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    mode: env.DINGTALK_MODE,
    appKey: env.DINGTALK_APP_KEY,
    appSecret: env.DINGTALK_APP_SECRET,
    // An internal app's robot is addressed by the app's own key unless the robot page says otherwise.
    robotCode: env.DINGTALK_ROBOT_CODE ?? env.DINGTALK_APP_KEY,
    cardTemplateId: env.DINGTALK_CARD_TEMPLATE_ID,
    events: env.DINGTALK_TOKEN && env.DINGTALK_AES_KEY ? { token: env.DINGTALK_TOKEN, aesKey: env.DINGTALK_AES_KEY } : undefined,
    cardCallback:
      env.DINGTALK_MODE === 'http' && env.DINGTALK_CARD_CALLBACK_URL && env.DINGTALK_CARD_CALLBACK_SECRET
        ? { url: env.DINGTALK_CARD_CALLBACK_URL, routeKey: env.DINGTALK_CARD_ROUTE_KEY, secret: env.DINGTALK_CARD_CALLBACK_SECRET }
        : undefined,
    apiBase: env.DINGTALK_API_BASE,
    oapiBase: env.DINGTALK_OAPI_BASE,
    apiTimeoutMs: env.DINGTALK_API_TIMEOUT_MS,
    streamMaxReconnects: env.DINGTALK_STREAM_MAX_RECONNECTS,
  };
}
