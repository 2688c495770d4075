import type Router from '@koa/router';
import { randomUUID } from 'node:crypto';
import type Koa from 'koa';
import type { DataSource } from 'typeorm';
import { BackgroundWorker } from './bot/backgroundWorker';
import { Inbox } from './bot/inbox';
import { InboxWorker } from './bot/inboxWorker';
import { Outbox } from './bot/outbox';
import { OutageLog } from './bot/outageLog';
import type { TurnHandler } from './bot/turn';
import type { ChannelName, ChannelSender, InboundEvent } from './channels/port';
import { createWecomChannel } from './channels/wecom';
import { createDingtalkChannel } from './channels/dingtalk';
import { simulatorRoutes } from './channels/simulator/routes';
import { SimulatorTranscript } from './channels/simulator/transcript';
import { SimulatorMedia } from './channels/simulator/media';
import { WecomMediaFetcher } from './channels/wecom/media';
import { DingtalkMediaFetcher } from './channels/dingtalk/media';
import type { MediaFetcher } from './files/mediaFetcher';
import { systemClock, type Clock } from './clock';
import type { Config } from './config';
import { healthRoutes } from './http/health';
import { webApp } from './http/app';
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
import { fileActions } from './bot/fileActions';
import { fileRoutes } from './files/routes';
import { UploadLinks } from './files/uploadLinks';
import { uploadRoutes } from './files/uploadRoutes';
import { calendarActions } from './bot/calendarActions';
import { quotaRuleActions } from './bot/quotaRuleActions';
import { zoneSettingsActions } from './bot/zoneSettingsActions';
import { assessmentActions } from './bot/assessmentActions';
import { corpsAnalysisXlsx } from './documents/corpsAnalysis';
import { AuditLog } from './domain/audit';
import { adjustmentInquiry } from './domain/adjustment/inquiry';
import { createScheduler } from './scheduling/jobs';
import type { Scheduler } from './scheduling/scheduler';
import type { StateStore } from './state/stateStore';
import { openDatabase, WORKER_LANES } from './storage/dataSource';
import { fieldCipherFrom } from './storage/fieldKeys';
import { rekey } from './storage/rekey';
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
  /** What PORT serves: webhooks, downloads, /healthz. */
  app: Koa;
  /** What ADMIN_PORT serves, on this host: /metrics, /healthz, the simulator and the development sign-in. */
  adminApp: Koa;
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
  const db = overrides.db ?? (await openDeploymentDatabase(config, clock, logger));
  const state = overrides.state ?? createStateStore(config.redis, clock);
  const instanceId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  void state.durabilityWarnings().then(
    (warnings) => warnings.forEach((warning) => logger.warn({ warning }, 'the state store is not set up for production')),
    () => undefined,
  );

  const senders = new Map<ChannelName, ChannelSender>();
  const transcript = config.simulatorEnabled ? new SimulatorTranscript(() => clock.now()) : undefined;
  if (transcript) senders.set('simulator', transcript);
  const wecom = config.wecom && createWecomChannel(config.wecom, { state, clock, logger });
  if (wecom) senders.set('wecom', wecom.sender);
  const inbox = new Inbox(db, clock);
  const dingtalk = config.dingtalk && createDingtalkChannel(config.dingtalk, { state, clock, logger, pending: (key) => inbox.isPending('dingtalk', key) });
  if (dingtalk) senders.set('dingtalk', dingtalk.sender);
  // Real messengers before the simulator: a person on WeCom is notified there even in a dev setup.
  const channels = (['wecom', 'dingtalk', 'simulator'] as const).filter((c) => senders.has(c));

  const simulatorMedia = transcript && new SimulatorMedia();
  const mediaFetchers: Partial<Record<ChannelName, MediaFetcher>> = {
    ...(wecom ? { wecom: new WecomMediaFetcher(wecom.api) } : {}),
    ...(dingtalk && config.dingtalk ? { dingtalk: new DingtalkMediaFetcher(dingtalk.api, config.dingtalk) } : {}),
    ...(simulatorMedia ? { simulator: simulatorMedia } : {}),
  };

  const roster = new RosterRepository(db);
  const metrics = new Metrics(databaseProbes(db));
  const outbox = new Outbox(db, clock, senders, logger, instanceId, metrics);
  const services = buildServices(db, clock, roster, new OutboxNotifier(outbox, roster, channels, logger), {
    talks: config.talks,
    calendar: config.calendar,
    incentives: config.incentives,
    urge: config.urge,
    deadlines: config.deadlines,
    publicBaseUrl: config.publicBaseUrl,
    files: config.files,
  }, { mediaFetchers, uploads: new UploadLinks(state, clock, config.publicBaseUrl) });
  // The years this zone loaded, before any turn or job computes a working day.
  await services.calendar.reload();
  const scheduler = createScheduler({ db, clock, logger, instanceId, services, config, metrics });
  const engine = new ConversationEngine({
    dialogues,
    menu: menuDialogues,
    drafts: new DraftStore(state, db, clock, config.draftTtlMs, logger),
    state,
    roster,
    clock,
    services,
    inquiries: [services.inquiry, adjustmentInquiry(services)],
    actions: [
      ...workflowActions(services),
      ...talkActions(services, clock),
      ...documentActions(services, { db, state, clock, publicBaseUrl: config.publicBaseUrl }),
      ...fileActions(services, { state, clock, publicBaseUrl: config.publicBaseUrl }),
      ...calendarActions(services, clock),
      ...quotaRuleActions(services),
      ...zoneSettingsActions(services),
      ...assessmentActions(services, { db, state, clock, publicBaseUrl: config.publicBaseUrl }),
    ],
    refusals: services.refusals,
  });
  // An outage is logged once when work first notices it, and once when both services answer again.
  const outages = new OutageLog(logger, () => Promise.all([db.query('SELECT 1'), state.ping()]).then(() => true, () => false));
  const inboxWorker = new InboxWorker(
    db, inbox, outbox, roster, state, overrides.handler ?? engine.handle, channels, logger, config.database.kind === 'mysql' ? WORKER_LANES : 1,
    metrics, () => clock.now(), outages,
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
    outages,
  );

  async function receive(event: InboundEvent, dedupeKey: string): Promise<'accepted' | 'duplicate'> {
    const result = await inbox.accept(event, dedupeKey);
    metrics.callback(event.channel, result.outcome);
    if (result.outcome === 'accepted') void worker.kick('inbox');
    return result.outcome;
  }

  const analysis = (year: number, asOf: Date) => corpsAnalysisXlsx({ db, lists: services.incentives, cases: services.cases }, year, asOf);
  const health = healthRoutes(db, state, () => services.calendar.healthWarnings(clock.now()));
  // The port webhooks and people's phones reach (behind a reverse proxy, as like as not)...
  // The webhooks first: a callback, by far the most frequent request, meets no other router on its way.
  const routers: Router[] = [];
  if (wecom) routers.push(wecom.routes({ receive, bodyLimitBytes: config.bodyLimitBytes }));
  const dingtalkRouter = dingtalk && dingtalk.routes({ receive, bodyLimitBytes: config.bodyLimitBytes });
  if (dingtalkRouter) routers.push(dingtalkRouter);
  routers.push(health, documentRoutes({ db, state, clock, analysis }), fileRoutes({ db, state, clock, services }), uploadRoutes({ services, state, clock, channels, receive }));
  const app = webApp(logger, routers, metrics);
  // The web pages and their API, after the webhooks: nothing of theirs answers a platform's callback.
  const web = createWeb({ config, db, state, clock, logger, roster, services, wecomApi: wecom?.api, dingtalkApi: dingtalk?.api });
  app.use(securityHeaders());
  for (const router of web.routers) app.use(router.routes()).use(router.allowedMethods());
  // ...and the admin listener (ADMIN_PORT, on this host): metrics, health, the simulator and the
  // development sign-in, which no proxy header can open up because the public port does not serve them at all.
  const adminRouters = [health, metricsRoutes(metrics), ...web.adminRouters];
  if (transcript) {
    adminRouters.push(
      simulatorRoutes({
        roster,
        transcript,
        now: () => clock.now(),
        bodyLimitBytes: config.bodyLimitBytes,
        media: simulatorMedia!,
        async receiveAndSettle(event, dedupeKey) {
          await inbox.accept(event, dedupeKey);
          await inboxWorker.drainUser(Inbox.userKey(event));
          await outbox.dispatchDue();
        },
      }),
    );
  }
  const adminApp = webApp(logger, adminRouters);

  return {
    config,
    app,
    adminApp,
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

/**
 * The database with its cipher. After migrating, values an earlier version wrote in plaintext
 * are sealed (a no-op scan once done); rotating to a new key is `npm run data:rekey`'s job.
 */
async function openDeploymentDatabase(config: Config, clock: Clock, logger: Logger): Promise<DataSource> {
  const db = await openDatabase(config.database, config.migrateOnStart, fieldCipherFrom(config.fieldKeys, (warning) => logger.warn(warning)));
  if (config.migrateOnStart) {
    const sealed = await rekey(db, new AuditLog(clock), { plaintextOnly: true });
    const values = Object.values(sealed.tables).reduce((sum, t) => sum + t.values, 0);
    if (values > 0) logger.info({ values, keyId: sealed.keyId }, 'confidential values written before encryption are now sealed');
  }
  return db;
}
