import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import type { DataSource } from 'typeorm';
import { BackgroundWorker } from './bot/backgroundWorker';
import { Inbox } from './bot/inbox';
import { InboxWorker } from './bot/inboxWorker';
import { Outbox } from './bot/outbox';
import type { TurnHandler } from './bot/turn';
import type { ChannelName, ChannelSender, InboundEvent } from './channels/port';
import { createWecomChannel } from './channels/wecom';
import { createDingtalkChannel } from './channels/dingtalk';
import { simulatorRoutes } from './channels/simulator/routes';
import { SimulatorTranscript } from './channels/simulator/transcript';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { healthRoutes } from './http/health';
import { errorHandler, refuseUnknownMethods, requestContext } from './http/middleware';
import { createLogger, type Logger } from './logger';
import { databaseProbes, Metrics } from './metrics/metrics';
import { metricsRoutes } from './metrics/routes';
import { documentRoutes } from './documents/routes';
import { RosterRepository } from './roster/rosterRepository';
import { createStateStore } from './state';
import { dialogues, menuDialogues } from '../conversations';
import { ConversationEngine } from './conversation/engine';
import { DraftStore } from './conversation/draftStore';
import type { Services } from './services';
import { buildServices } from './wiring/services';
import { OutboxNotifier } from './bot/outboxNotifier';
import { workflowActions } from './bot/workflowActions';
import { talkActions } from './bot/talkActions';
import { documentActions } from './bot/documentActions';
import { calendarActions } from './bot/calendarActions';
import { quotaRuleActions } from './bot/quotaRuleActions';
import { createScheduler } from './scheduling/jobs';
import type { Scheduler } from './scheduling/scheduler';
import type { StateStore } from './state/stateStore';
import { openDatabase } from './storage/dataSource';
import { createWeb } from './web';
import { securityHeaders } from './web/securityHeaders';

export interface Overrides {
  clock?: Clock;
  logger?: Logger;
  state?: StateStore;
  db?: DataSource;
  handler?: TurnHandler;
}

/** Everything one running bot is made of, wired once; tests build it with overrides. */
export interface Bot {
  config: Config;
  app: Koa;
  db: DataSource;
  state: StateStore;
  clock: Clock;
  logger: Logger;
  roster: RosterRepository;
  services: Services;
  engine: ConversationEngine;
  inbox: Inbox;
  outbox: Outbox;
  inboxWorker: InboxWorker;
  worker: BackgroundWorker;
  scheduler: Scheduler;
  metrics: Metrics;
  transcript?: SimulatorTranscript;
  /** Records an event and has it handled soon; the caller may acknowledge once this resolves. */
  receive(event: InboundEvent, dedupeKey: string): Promise<'accepted' | 'duplicate'>;
  close(): Promise<void>;
}

export async function createBot(config: Config, overrides: Overrides = {}): Promise<Bot> {
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const db = overrides.db ?? (await openDatabase(config.database, config.migrateOnStart));
  const state = overrides.state ?? createStateStore(config.redisUrl, clock);
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;

  const senders = new Map<ChannelName, ChannelSender>();
  const transcript = config.simulatorEnabled ? new SimulatorTranscript(() => clock.now()) : undefined;
  if (transcript) senders.set('simulator', transcript);
  const wecom = config.wecom && createWecomChannel(config.wecom, { state, clock, logger });
  if (wecom) senders.set('wecom', wecom.sender);
  const dingtalk = config.dingtalk && createDingtalkChannel(config.dingtalk, { state, clock, logger });
  if (dingtalk) senders.set('dingtalk', dingtalk.sender);
  // Real messengers before the simulator: a person on WeCom is notified there even in a dev setup.
  const channels = (['wecom', 'dingtalk', 'simulator'] as const).filter((c) => senders.has(c));

  const roster = new RosterRepository(db);
  const inbox = new Inbox(db, clock);
  const metrics = new Metrics(databaseProbes(db));
  const outbox = new Outbox(db, clock, senders, logger, instanceId, metrics);
  const services = buildServices(db, clock, roster, new OutboxNotifier(outbox, roster, channels, logger), config.talks, config.calendar);
  // The years this zone loaded, before any turn or job computes a working day.
  await services.calendar.reload();
  const scheduler = createScheduler({ db, clock, logger, instanceId, services, config, metrics });
  const engine = new ConversationEngine({
    dialogues,
    menu: menuDialogues,
    drafts: new DraftStore(state, clock, config.draftTtlMs),
    state,
    roster,
    clock,
    services,
    inquiries: [services.inquiry],
    actions: [
      ...workflowActions(services),
      ...talkActions(services, clock),
      ...documentActions(services, { db, state, clock, publicBaseUrl: config.publicBaseUrl }),
      ...calendarActions(services, clock),
      ...quotaRuleActions(services),
    ],
    refusals: services.refusals,
  });
  const inboxWorker = new InboxWorker(
    db, inbox, outbox, roster, state, overrides.handler ?? engine.handle, channels, logger, config.database.kind === 'mysql' ? 8 : 1,
    metrics, () => clock.now(),
  );
  const worker = new BackgroundWorker(
    [
      // Replies are sent as soon as the turn that produced them is done, not at the next tick.
      { name: 'inbox', run: async () => (await inboxWorker.drainAll()) > 0 && void worker.kick('outbox') },
      { name: 'outbox', run: () => outbox.dispatchDue() },
      { name: 'jobs', run: async () => (await scheduler.runDue()) > 0 && void worker.kick('outbox') },
      // The stream connection (or the card callback registration) lives exactly as long as the worker.
      ...(dingtalk ? [dingtalk.task(receive)] : []),
    ],
    config.workerIntervalMs,
    logger,
  );

  async function receive(event: InboundEvent, dedupeKey: string): Promise<'accepted' | 'duplicate'> {
    const result = await inbox.accept(event, dedupeKey);
    metrics.callback(event.channel, result.outcome);
    if (result.outcome === 'accepted') void worker.kick('inbox');
    return result.outcome;
  }

  const app = new Koa({ proxy: false });
  // What reaches Koa past the error handler is a connection failing (a client gone mid-body, a
  // broken chunk): logged here, message only, instead of Koa printing its stack to stderr.
  app.on('error', (error: Error) => logger.warn({ reason: error.message }, 'connection failed'));
  app.use(requestContext(logger));
  app.use(metrics.middleware());
  app.use(errorHandler());
  app.use(refuseUnknownMethods());
  const routers = [healthRoutes(db, state, () => services.calendar.healthWarnings(clock.now())), metricsRoutes(metrics, { public: config.metricsPublic }), documentRoutes({ db, state, clock })];
  if (wecom) routers.push(wecom.routes({ receive, bodyLimitBytes: config.bodyLimitBytes }));
  const dingtalkRouter = dingtalk && dingtalk.routes({ receive, bodyLimitBytes: config.bodyLimitBytes });
  if (dingtalkRouter) routers.push(dingtalkRouter);
  if (transcript) {
    routers.push(
      simulatorRoutes({
        roster,
        transcript,
        now: () => clock.now(),
        bodyLimitBytes: config.bodyLimitBytes,
        async receiveAndSettle(event, dedupeKey) {
          await inbox.accept(event, dedupeKey);
          await inboxWorker.drainUser(Inbox.userKey(event));
          await outbox.dispatchDue();
        },
      }),
    );
  }
  // The web pages and their API, after the webhooks: nothing of theirs answers a platform's callback.
  const web = createWeb({ config, db, state, clock, logger, roster, services, wecomApi: wecom?.api, dingtalkApi: dingtalk?.api });
  app.use(securityHeaders());
  routers.push(...web.routers);
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods());

  return {
    config,
    app,
    db,
    state,
    clock,
    logger,
    roster,
    services,
    engine,
    inbox,
    outbox,
    inboxWorker,
    worker,
    scheduler,
    metrics,
    transcript,
    receive,
    async close() {
      await worker.stop();
      if (dingtalk) dingtalk.close();
      await state.close();
      if (db.isInitialized) await db.destroy();
    },
  };
}
