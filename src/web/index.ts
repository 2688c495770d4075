import type Router from '@koa/router';
import type { DataSource } from 'typeorm';
import type { DingtalkApi } from '../channels/dingtalk/api';
import { DINGTALK_DIRECTORY, fetchDirectory as fetchDingtalkDirectory } from '../channels/dingtalk/rosterSync';
import type { WecomApi } from '../channels/wecom/api';
import { fetchDirectory as fetchWecomDirectory, WECOM_DIRECTORY } from '../channels/wecom/rosterSync';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { AuditLog } from '../domain/audit';
import type { Logger } from '../logger';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Services } from '../services';
import type { StateStore } from '../state/stateStore';
import { apiRouter } from './api/apiRouter';
import { auditRoutes } from './api/auditRoutes';
import { caseRoutes as caseApiRoutes } from './api/caseRoutes';
import { exemptionRoutes } from './api/exemptionRoutes';
import { matterRoutes } from './api/matterRoutes';
import { meRoutes } from './api/meRoutes';
import { rosterRoutes } from './api/rosterRoutes';
import { settingsRoutes } from './api/settingsRoutes';
import { talkRoutes } from './api/talkRoutes';
import { DingtalkLogin } from './auth/dingtalkLogin';
import { devHandoffRoutes, devSignInAdminRoutes } from './auth/devRoutes';
import { PendingSignIns } from './auth/pendingSignIns';
import { authRoutes } from './auth/routes';
import { SignIn } from './auth/signIn';
import { WecomLogin } from './auth/wecomLogin';
import { Csrf } from './csrf';
import { casePageRoutes } from './cases/routes';
import { AttemptLimit } from './rateLimit';
import { RosterConsole, type DirectorySource } from './roster/rosterConsole';
import { Sessions } from './sessions';
import { consoleRoutes } from './staticAssets';
import type { WebDeps } from './webDeps';

export interface WebParts {
  config: Config;
  db: DataSource;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  roster: RosterRepository;
  services: Services;
  wecomApi?: WecomApi;
  dingtalkApi?: DingtalkApi;
}

/**
 * The web side: sign-in with each messenger (and, in development, by picking a roster person on
 * the admin listener: `adminRouters`), the case page behind every card (/m/cases), the console's
 * pages and its JSON API under /api, all over the same use cases as the chat.
 */
export function createWeb(parts: WebParts): { deps: WebDeps; routers: Router[]; adminRouters: Router[] } {
  const { config, db, state, clock, logger, roster, services } = parts;
  const web = config.web;
  const audit = new AuditLog(clock);
  const sessions = new Sessions(state, clock, web.sessionHours);
  const directories: DirectorySource[] = [
    ...(parts.wecomApi ? [{ target: WECOM_DIRECTORY, read: () => fetchWecomDirectory(parts.wecomApi!) }] : []),
    ...(parts.dingtalkApi ? [{ target: DINGTALK_DIRECTORY, read: () => fetchDingtalkDirectory(parts.dingtalkApi!) }] : []),
  ];
  const deps: WebDeps = {
    db, state, clock, logger: logger.child({ part: 'web' }), roster, services, audit, web, sessions,
    signIn: new SignIn(db, roster, sessions, audit),
    pending: new PendingSignIns(state),
    limit: new AttemptLimit(state, clock, web.signInAttempts, web.signInWindowMinutes * 60_000),
    csrf: new Csrf(config.publicBaseUrl),
    cookies: { secure: config.publicBaseUrl.startsWith('https:') },
    publicBaseUrl: config.publicBaseUrl,
    wecom: config.wecom && parts.wecomApi && new WecomLogin(config.wecom, web.wecom, parts.wecomApi),
    dingtalk: config.dingtalk && parts.dingtalkApi && new DingtalkLogin(config.dingtalk, web.dingtalk, parts.dingtalkApi),
    directories,
    // Where the simulator is, and never in production, whatever SIMULATOR_ENABLED says.
    devSignIn: config.simulatorEnabled && config.env !== 'production' ? { url: adminUrl(config.admin) } : undefined,
    deadlines: config.deadlines,
  };
  const rosters = new RosterConsole({ db, roster, state, clock, audit, directories });
  const routers = [
    authRoutes(deps),
    ...(deps.devSignIn ? [devHandoffRoutes(deps)] : []),
    consoleRoutes(deps),
    casePageRoutes(deps),
    apiRouter(deps, [meRoutes(deps), caseApiRoutes(deps), matterRoutes(deps), exemptionRoutes(deps), talkRoutes(deps), rosterRoutes(deps, rosters), settingsRoutes(deps), auditRoutes(deps)]),
  ];
  return { deps, routers, adminRouters: deps.devSignIn ? [devSignInAdminRoutes(deps)] : [] };
}

/** The admin listener's dev sign-in page, for the /login page to point to; undefined while its port is picked at start (0). */
function adminUrl(admin: Config['admin']): string | undefined {
  if (admin.port === 0) return undefined;
  return `http://${admin.host.includes(':') ? `[${admin.host}]` : admin.host}:${admin.port}/auth/dev`;
}
