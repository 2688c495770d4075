import type Router from '@koa/router';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { StateStore } from '../../state/stateStore';
import { WecomApi } from './api';
import type { WecomConfig } from './config';
import { MemberRateLimit } from './memberRateLimit';
import { wecomRoutes, type WecomRouteDeps } from './routes';
import { WecomSender } from './sender';

export interface WecomChannel {
  api: WecomApi;
  sender: WecomSender;
  routes(deps: Pick<WecomRouteDeps, 'receive' | 'bodyLimitBytes'>): Router;
}

/** The WeCom side of the bot: one API client (and token) shared by the sender and the sync. */
export function createWecomChannel(config: WecomConfig, deps: { state: StateStore; clock: Clock; logger: Logger }): WecomChannel {
  const logger = deps.logger.child({ channel: 'wecom' });
  const api = new WecomApi(config, deps.state, logger);
  const sender = new WecomSender(config, api, deps.state, new MemberRateLimit(deps.state, deps.clock), logger);
  return {
    api,
    sender,
    routes: (routeDeps) => wecomRoutes({ ...routeDeps, config, state: deps.state, now: () => deps.clock.now() }),
  };
}
