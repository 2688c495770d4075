import type { DataSource } from 'typeorm';
import type { Clock } from '../clock';
import type { AuditLog } from '../domain/audit';
import type { DeadlineSettings } from '../domain/workflow/deadlines';
import type { Logger } from '../logger';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Services } from '../services';
import type { StateStore } from '../state/stateStore';
import type { DingtalkLogin } from './auth/dingtalkLogin';
import type { PendingSignIns } from './auth/pendingSignIns';
import type { SignIn } from './auth/signIn';
import type { WecomLogin } from './auth/wecomLogin';
import type { WebConfig } from './config';
import type { CookiePolicy } from './cookies';
import type { Csrf } from './csrf';
import type { AttemptLimit } from './rateLimit';
import type { Sessions } from './sessions';
import type { DirectorySource } from './roster/rosterConsole';

/** What the web pages and their API are built from; assembled once in src/web/index.ts. */
export interface WebDeps {
  db: DataSource;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  roster: RosterRepository;
  services: Services;
  audit: AuditLog;
  web: WebConfig;
  sessions: Sessions;
  signIn: SignIn;
  pending: PendingSignIns;
  limit: AttemptLimit;
  csrf: Csrf;
  cookies: CookiePolicy;
  publicBaseUrl: string;
  wecom?: WecomLogin;
  dingtalk?: DingtalkLogin;
  /** The directories a roster sync can read: the messengers configured. */
  directories: DirectorySource[];
  /**
   * The development sign-in (pick a roster person) on the admin listener: on where the simulator
   * is, never in production; `url` its page when the admin port is known before start.
   */
  devSignIn?: { url: string | undefined };
  /** 建议办理期限（本区设置）: SUGGESTED_DAYS_*, shown on 设置 read-only. */
  deadlines: DeadlineSettings;
}
