import { z } from 'zod';
import type { CalendarSettings } from './calendar/workingCalendar';
import { loadDingtalkConfig, type DingtalkConfig } from './channels/dingtalk/config';
import { loadWecomConfig, type WecomConfig } from './channels/wecom/config';
import { PARTIAL_YEAR_MODES, TALK_PERIODS, type TalkSettings } from './domain/talks/settings';
import { loadWebConfig, type WebConfig } from './web/config';

/**
 * Every setting comes from the environment and is checked once at start, so a typo fails the
 * deploy with a message that names the variable instead of failing the first cadre who writes in.
 */
const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^(mysql|mariadb):\/\/.+|^sqlite:.+/, 'must look like mysql://user:pass@host:3306/db or sqlite:path')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must look like redis://host:6379').optional(),
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
  TALK_EDIT_GRACE_HOURS: z.coerce.number().min(0).max(24 * 30).default(24),
  APPROVAL_REMIND_AFTER_WORKING_DAYS: z.coerce.number().int().min(1).max(60).default(3),
  CALENDAR_WARN_FROM: z
    .string()
    .regex(/^\d\d-\d\d$/, 'must be a month and day, MM-DD, e.g. 11-01')
    // A day every year has (not 02-29): the weekly reminder's chain stops on it each year.
    .refine((v) => new Date(Date.parse(`2025-${v}T00:00:00Z`) || 0).toISOString().slice(5, 10) === v, 'must be a day every year has, MM-DD, e.g. 11-01')
    .default('11-01'),
  METRICS_PUBLIC: boolean.default(false),
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
  redisUrl?: string;
  migrateOnStart: boolean;
  loadSampleRoster: boolean;
  simulatorEnabled: boolean;
  logLevel: Env['LOG_LEVEL'];
  bodyLimitBytes: number;
  draftTtlMs: number;
  workerIntervalMs: number;
  shutdownGraceMs: number;
  talks: TalkSettings;
  /** An approver who has not decided after this many working days is reminded (催办). */
  approvalRemindAfterWorkingDays: number;
  /** When next year's missing holiday arrangement starts being warned of (MM-DD). */
  calendar: CalendarSettings;
  /** GET /metrics answers requests from outside loopback too (e.g. a Prometheus on another host). */
  metricsPublic: boolean;
  /** Where people's phones reach the bot (download links of exported documents), without a trailing slash. */
  publicBaseUrl: string;
  /** Calendar dates (deadlines, quotas, holidays) are always those of the zone, whatever TZ the host has. */
  timeZone: 'Asia/Shanghai';
  wecom?: WecomConfig;
  dingtalk?: DingtalkConfig;
  /** The web pages: sessions, sign-in limits, the messengers' sign-in hosts. */
  web: WebConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误 (invalid configuration):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const DEFAULT_SQLITE_PATH = 'data/dandang.sqlite';

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
  const embedded = database.kind === 'sqlite' && !env.REDIS_URL;
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    database,
    redisUrl: env.REDIS_URL,
    migrateOnStart: env.MIGRATE_ON_START,
    loadSampleRoster: env.LOAD_SAMPLE_ROSTER ?? (embedded && !production),
    // The simulator lets anyone speak as anyone: only on by itself where nothing real is at stake.
    simulatorEnabled: env.SIMULATOR_ENABLED ?? (embedded && !production),
    logLevel: env.LOG_LEVEL,
    bodyLimitBytes: env.BODY_LIMIT_BYTES,
    draftTtlMs: env.DRAFT_TTL_DAYS * 24 * 3600 * 1000,
    workerIntervalMs: env.WORKER_INTERVAL_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    talks: { partialYear: env.TALK_PARTIAL_YEAR, adjustedTalkPeriod: env.ADJUSTED_CADRE_TALK_PERIOD, editGraceHours: env.TALK_EDIT_GRACE_HOURS },
    approvalRemindAfterWorkingDays: env.APPROVAL_REMIND_AFTER_WORKING_DAYS,
    calendar: { warnFrom: env.CALENDAR_WARN_FROM },
    metricsPublic: env.METRICS_PUBLIC,
    publicBaseUrl: (env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${env.PORT}`).replace(/\/+$/, ''),
    timeZone: 'Asia/Shanghai',
    wecom: loadWecomConfig(environment),
    dingtalk: loadDingtalkConfig(environment),
    web: loadWebConfig(environment),
  };
}
