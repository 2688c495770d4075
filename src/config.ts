import { z } from 'zod';
import type { CalendarSettings } from './calendar/workingCalendar';
import { loadDingtalkConfig, type DingtalkConfig } from './channels/dingtalk/config';
import { loadWecomConfig, type WecomConfig } from './channels/wecom/config';
import { loadFilesConfig, type FilesConfig } from './files/config';
import { parseWinningShares, type IncentiveSettings } from './domain/assessment/settings';
import { PARTIAL_YEAR_MODES, TALK_PERIODS, type TalkSettings } from './domain/talks/settings';
import { DEFAULT_DEADLINES, type DeadlineSettings } from './domain/workflow/deadlines';
import type { UrgeSettings } from './domain/workflow/approvalReminders';
import { DEVELOPMENT_KEY_PATH, parseKeyRing, type FieldKeySource } from './storage/fieldKeys';
import { loadWebConfig, type WebConfig } from './web/config';

/**
 * Every setting comes from the environment and is checked once at start, so a typo fails the
 * deploy with a message that names the variable instead of failing the first cadre who writes in.
 */
const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A 建议办理期限 in calendar days. */
const days = (fallback: number) => z.coerce.number().int().min(1).max(365).default(fallback);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb):\/\/.+|^sqlite:.+/, 'must look like mysql://user:pass@host:3306/db or sqlite:path')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must look like redis://host:6379').optional(),
  REDIS_SENTINELS: z
    .string()
    .regex(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, 'must look like 10.0.0.1:26379,10.0.0.2:26379,10.0.0.3:26379')
    .optional(),
  REDIS_SENTINEL_NAME: z.string().regex(/^[\w.-]{1,64}$/, 'must be the master name the sentinels monitor, e.g. mymaster').default('mymaster'),
  REDIS_PASSWORD: z.string().min(1).optional(),
  REDIS_SENTINEL_PASSWORD: z.string().min(1).optional(),
  MIGRATE_ON_START: boolean.default(true),
  LOAD_SAMPLE_ROSTER: boolean.optional(),
  SIMULATOR_ENABLED: boolean.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10 * 1024 * 1024).default(256 * 1024),
  DRAFT_TTL_DAYS: z.coerce.number().positive().max(365).default(7),
  WORKER_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  TALK_PARTIAL_YEAR: z.enum(PARTIAL_YEAR_MODES).default('prorate'),
  ADJUSTED_CADRE_TALK_PERIOD: z.enum(TALK_PERIODS).default('quarter'),
  ADJUSTED_CADRE_TALK_SPAN: z
    .string()
    .regex(/^(influence|[1-9]\d?|1[01]\d|120)$/, 'must be influence or a number of months from 1 to 120')
    .default('influence')
    .transform((v) => (v === 'influence' ? ('influence' as const) : Number(v))),
  WINNING_UNIT_SHARES: z
    .string()
    .default('50,30,20,20')
    .transform((v, ctx) => parseWinningShares(v) ?? (ctx.addIssue({ code: 'custom', message: 'must be four percentages, e.g. 50,30,20,20' }), z.NEVER)),
  EXCELLENT_SHARE_RAISE_POINTS: z.coerce.number().int().min(0).max(50).default(5),
  EXCELLENT_SHARE_LOWER_POINTS: z.coerce.number().int().min(0).max(50).default(5),
  TALK_EDIT_GRACE_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  APPROVAL_REMIND_AFTER_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(3),
  URGE_AFTER_WORKING_HOURS: z.coerce.number().int().min(0).max(480).default(4),
  WORKING_DAY_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be office hours, HH:MM-HH:MM, e.g. 09:00-17:30')
    .refine((v) => v.slice(0, 5) < v.slice(6), 'must end after it starts, e.g. 09:00-17:30')
    .default('09:00-17:30')
    .transform((v) => ({ start: v.slice(0, 5), end: v.slice(6) })),
  CALENDAR_WARN_FROM: z
    .string()
    .regex(/^\d\d-\d\d$/, 'must be a month and day, MM-DD, e.g. 11-01')
    // A day every year has (not 02-29): the weekly reminder's chain stops on it each year.
    .refine((v) => new Date(Date.parse(`2025-${v}T00:00:00Z`) || 0).toISOString().slice(5, 10) === v, 'must be a day every year has, MM-DD, e.g. 11-01')
    .default('11-01'),
  SUGGESTED_DAYS_REPORT_TO_CITY: days(DEFAULT_DEADLINES.reportToCity),
  SUGGESTED_DAYS_EXECUTION: days(DEFAULT_DEADLINES.execution),
  SUGGESTED_DAYS_ADMONITION: days(DEFAULT_DEADLINES.admonition),
  SUGGESTED_DAYS_RECTIFICATION: days(DEFAULT_DEADLINES.rectification),
  SUGGESTED_DAYS_ROOT_CAUSE: days(DEFAULT_DEADLINES.rootCause),
  SUGGESTED_DAYS_EVALUATION: days(DEFAULT_DEADLINES.evaluation),
  SUGGESTED_DAYS_CLEARANCE: days(DEFAULT_DEADLINES.clearance),
  ADMIN_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  ADMIN_HOST: z.string().min(1).default('127.0.0.1'),
  /** The keys of confidential fields, current first: `id:base64key,id:base64key` (storage/fieldKeys.ts). */
  DATA_ENCRYPTION_KEYS: z.string().optional(),
  PUBLIC_BASE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, 'must look like https://dandang.example.gov.cn (no query or fragment)')
    .optional(),
});

export type Env = z.infer<typeof schema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  database: { kind: 'sqlite'; path: string } | { kind: 'mysql'; url: string };
  /** Where the shared state lives; unset: in-process (one instance). */
  redis?: RedisConnection;
  migrateOnStart: boolean;
  loadSampleRoster: boolean;
  simulatorEnabled: boolean;
  logLevel: Env['LOG_LEVEL'];
  bodyLimitBytes: number;
  draftTtlMs: number;
  workerIntervalMs: number;
  shutdownGraceMs: number;
  talks: TalkSettings;
  incentives: IncentiveSettings;
  /** An approver who has not decided after this many working days is reminded (催办). */
  approvalRemindAfterWorkingDays: number;
  /** When an applicant's 催办 is accepted, and the office hours working time is counted in. */
  urge: UrgeSettings;
  /** When next year's missing holiday arrangement starts being warned of (MM-DD). */
  calendar: CalendarSettings;
  /** 建议办理期限 of follow-up tasks, in calendar days (SUGGESTED_DAYS_*): the zone's settings, not the policy's. */
  deadlines: DeadlineSettings;
  /**
   * The admin listener: /metrics and the simulator, on a port of their own bound to this host by
   * default, so that no reverse proxy in front of PORT can make them public.
   */
  admin: { port: number; host: string };
  /** The keys confidential text is sealed with (talk records, 申请事由, 六看, opinions, drafts). */
  fieldKeys: FieldKeySource;
  /** Where people's phones reach the bot (download links of exported documents), without a trailing slash. */
  publicBaseUrl: string;
  /** Calendar dates (deadlines, quotas, holidays) are always those of the zone, whatever TZ the host has. */
  timeZone: 'Asia/Shanghai';
  wecom?: WecomConfig;
  dingtalk?: DingtalkConfig;
  /** The web pages: sessions, sign-in limits, the messengers' sign-in hosts. */
  web: WebConfig;
  /** Where received files and archives are kept (FILES_DIR or FILES_S3_*), and their size limits. */
  files: FilesConfig;
}

/** A Redis server by URL, or the master a set of Redis Sentinels watches (and fails over). */
export type RedisConnection =
  | { kind: 'url'; url: string }
  | { kind: 'sentinel'; sentinels: { host: string; port: number }[]; name: string; password?: string; sentinelPassword?: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误 (invalid configuration):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const DEFAULT_SQLITE_PATH = 'data/dandang.sqlite';

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

export function loadConfig(environment: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const env = parsed.data;
  const database: Config['database'] = !env.DATABASE_URL
    ? { kind: 'sqlite', path: DEFAULT_SQLITE_PATH }
    : env.DATABASE_URL.startsWith('sqlite:')
      ? { kind: 'sqlite', path: env.DATABASE_URL.slice('sqlite:'.length) }
      : { kind: 'mysql', url: env.DATABASE_URL.replace(/^mariadb:/, 'mysql:') };
  if (env.REDIS_URL && env.REDIS_SENTINELS) throw new ConfigError(['REDIS_SENTINELS: set either REDIS_URL (one Redis) or REDIS_SENTINELS (a master watched by Sentinels), not both']);
  const redis: RedisConnection | undefined = env.REDIS_SENTINELS
    ? {
        kind: 'sentinel',
        sentinels: env.REDIS_SENTINELS.split(',').map((entry) => {
          const [host, port] = entry.trim().split(':');
          return { host, port: Number(port) };
        }),
        name: env.REDIS_SENTINEL_NAME,
        password: env.REDIS_PASSWORD,
        sentinelPassword: env.REDIS_SENTINEL_PASSWORD,
      }
    : env.REDIS_URL
      ? { kind: 'url', url: env.REDIS_URL }
      : undefined;
  const embedded = database.kind === 'sqlite' && !redis;
  const production = env.NODE_ENV === 'production';
  // The simulator lets anyone speak as anyone: only on by itself where nothing real is at stake.
  const simulatorEnabled = env.SIMULATOR_ENABLED ?? (embedded && !production);
  if (simulatorEnabled && !isLoopback(env.ADMIN_HOST)) {
    throw new ConfigError([`ADMIN_HOST: the simulator lets anyone speak as anyone; with SIMULATOR_ENABLED keep the admin listener on this host (127.0.0.1 or ::1), not ${env.ADMIN_HOST}`]);
  }
  const fieldKeys = fieldKeysOf(env.DATA_ENCRYPTION_KEYS, production);
  if (env.ADMIN_PORT !== 0 && env.ADMIN_PORT === env.PORT) throw new ConfigError(['ADMIN_PORT: must differ from PORT (the admin listener is a port of its own)']);
  const files = loadFilesConfig(environment);
  if (!files.config) throw new ConfigError(files.problems);
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    database,
    redis,
    migrateOnStart: env.MIGRATE_ON_START,
    loadSampleRoster: env.LOAD_SAMPLE_ROSTER ?? (embedded && !production),
    simulatorEnabled,
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    draftTtlMs: env.DRAFT_TTL_DAYS * 24 * 3600 * 1000,
    workerIntervalMs: env.WORKER_INTERVAL_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    talks: {
      partialYear: env.TALK_PARTIAL_YEAR,
      adjustedTalkPeriod: env.ADJUSTED_CADRE_TALK_PERIOD,
      adjustedTalkSpan: env.ADJUSTED_CADRE_TALK_SPAN,
      editGraceHours: env.TALK_EDIT_GRACE_HOURS,
    },
    incentives: {
      winningShares: env.WINNING_UNIT_SHARES,
      excellentShareRaise: env.EXCELLENT_SHARE_RAISE_POINTS,
      excellentShareLower: env.EXCELLENT_SHARE_LOWER_POINTS,
    },
    approvalRemindAfterWorkingDays: env.APPROVAL_REMIND_AFTER_WORKING_DAYS,
    urge: { afterWorkingHours: env.URGE_AFTER_WORKING_HOURS, officeHours: env.WORKING_DAY_HOURS },
    calendar: { warnFrom: env.CALENDAR_WARN_FROM },
    deadlines: {
      reportToCity: env.SUGGESTED_DAYS_REPORT_TO_CITY,
      execution: env.SUGGESTED_DAYS_EXECUTION,
      admonition: env.SUGGESTED_DAYS_ADMONITION,
      rectification: env.SUGGESTED_DAYS_RECTIFICATION,
      rootCause: env.SUGGESTED_DAYS_ROOT_CAUSE,
      evaluation: env.SUGGESTED_DAYS_EVALUATION,
      clearance: env.SUGGESTED_DAYS_CLEARANCE,
    },
    admin: { port: env.ADMIN_PORT, host: env.ADMIN_HOST },
    fieldKeys,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, ''),
    timeZone: 'Asia/Shanghai',
    wecom: loadWecomConfig(environment),
    dingtalk: loadDingtalkConfig(environment),
    web: loadWebConfig(environment),
    files: files.config,
  };
}

function fieldKeysOf(text: string | undefined, production: boolean): FieldKeySource {
  if (text === undefined) {
    if (production) throw new ConfigError(['DATA_ENCRYPTION_KEYS: required in production (talk records and case narratives are stored encrypted); make one with: echo "k1:$(openssl rand -base64 32)"']);
    return { kind: 'development', path: DEVELOPMENT_KEY_PATH };
  }
  try {
    return { kind: 'environment', ring: parseKeyRing(text) };
  } catch (error) {
    throw new ConfigError([`DATA_ENCRYPTION_KEYS: ${(error as Error).message}`]);
  }
}
