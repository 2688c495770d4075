import type Router from '@koa/router';
import type { Task } from '../../bot/backgroundWorker';
import type { Clock } from '../../clock';
import { reasonOf, type Logger } from '../../logger';
import type { StateStore } from '../../state/stateStore';
import type { InboundEvent } from '../port';
import { DingtalkApi } from './api';
import { clickIdentity, type PendingCheck } from './clickIdentity';
import type { DingtalkConfig } from './config';
import { dingtalkRoutes, type DingtalkRouteDeps } from './routes';
import { DingtalkSender } from './sender';
import { DingtalkStream, sdkConnection } from './stream';

type Receive = (event: InboundEvent, dedupeKey: string) => Promise<'accepted' | 'duplicate'>;

export interface DingtalkChannel {
  api: DingtalkApi;
  sender: DingtalkSender;
  /** HTTP mode's callback routes; none in stream mode, where everything comes over the stream. */
  routes(deps: Pick<DingtalkRouteDeps, 'receive' | 'bodyLimitBytes'>): Router | undefined;
  /**
   * A background worker task, so that it runs exactly while the worker does: in stream mode it
   * keeps the connection up; in HTTP mode it registers the card callback URL until that succeeds.
   */
  task(receive: Receive): Task;
  close(): void;
}

const REGISTRATION_RETRY_MS = 60_000;

/** The DingTalk side of the bot: one API client (and token) shared by the sender and the sync. */
export function createDingtalkChannel(
  config: DingtalkConfig,
  deps: { state: StateStore; clock: Clock; logger: Logger; pending?: PendingCheck },
): DingtalkChannel {
  // Without an inbox to ask (the roster sync), no click ever arrives anyway.
  const pending: PendingCheck = deps.pending ?? (async () => false);
  const logger = deps.logger.child({ channel: 'dingtalk' });
  const api = new DingtalkApi(config, deps.state, logger);
  let stream: DingtalkStream | undefined;

  const registerCardCallback = (): Task => {
    let due = 0;
    return {
      name: 'dingtalk-card-callback',
      async run() {
        const callback = config.cardCallback;
        if (!callback || deps.clock.now().getTime() < due) return;
        try {
          await api.call('POST', '/v1.0/card/callbacks/register', {
            callbackRouteKey: callback.routeKey,
            callbackUrl: callback.url,
            apiSecret: callback.secret,
            // The route key is this deployment's own: a changed URL or secret replaces the old one.
            forceUpdate: true,
          });
          due = Infinity;
          logger.info({ routeKey: callback.routeKey }, 'dingtalk card callback URL registered');
        } catch (error) {
          due = deps.clock.now().getTime() + REGISTRATION_RETRY_MS;
          logger.warn({ reason: reasonOf(error) }, 'dingtalk card callback URL not registered; clicks cannot arrive until it is');
        }
      },
    };
  };

  return {
    api,
    sender: new DingtalkSender(config, api, logger),
    routes: (routeDeps) => (config.mode === 'http' ? dingtalkRoutes({ ...routeDeps, config, state: deps.state, pending, now: () => deps.clock.now() }) : undefined),
    task(receive) {
      if (config.mode === 'http') return registerCardCallback();
      const running = new DingtalkStream(config, () => sdkConnection(config), receive, deps.clock, logger, (click) => clickIdentity(deps.state, click, pending));
      stream = running;
      return { name: 'dingtalk-stream', run: async () => running.tick() };
    },
    close: () => stream?.close(),
  };
}
