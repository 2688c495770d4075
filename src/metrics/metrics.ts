import type { Middleware, Next } from 'koa';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

export type CallbackResult = 'accepted' | 'duplicate' | 'refused';
/** done: replies queued; retry: failed and counted; gave-up: failed MAX_ATTEMPTS times; deferred: an outage, not counted. */
export type TurnOutcome = 'done' | 'retry' | 'gave-up' | 'deferred';
export type SendResult = 'sent' | 'retry' | 'failed';
export type JobResult = 'ok' | 'failed';

/** What the inbox worker reports about each event it handled or put back. */
export interface TurnObserver {
  turn(channel: string, outcome: TurnOutcome, seconds: number, latencySeconds?: number): void;
}

/** What the outbox reports about each delivery attempt. */
export interface SendObserver {
  send(channel: string, result: SendResult): void;
}

/** Read on every scrape, so that the figures are the database's, whichever instance is asked. */
export interface Probes {
  inboxPending(): Promise<number>;
  outboxDepth(): Promise<number>;
}

/** Counts over the status indexes of inbox and outbox: an index range each, cheap at any size. */
export function databaseProbes(db: DataSource): Probes {
  const count = async (sql: string) => Number(((await db.query(sql)) as { n: number | string }[])[0].n);
  return {
    inboxPending: () => count(`SELECT COUNT(*) AS n FROM inbox WHERE status = 'pending'`),
    outboxDepth: () => count(`SELECT COUNT(*) AS n FROM outbox WHERE status IN ('pending', 'sending')`),
  };
}

// Process-wide figures (CPU, memory, event-loop lag) exist once per process however many bots it
// holds (tests hold several), so they live in a registry of their own, created on first use.
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'dandang_' });
  }
  return processRegistry;
}

const CHANNEL_PATH = /^\/(wecom|dingtalk)(?:\/|$)/;

/**
 * The bot's Prometheus metrics: callbacks by channel and result, how long handling takes, how much
 * is waiting in the inbox and outbox, deliveries and scheduled job runs. One registry per bot.
 */
export class Metrics implements TurnObserver, SendObserver {
  readonly registry = new Registry();
  private readonly callbacks: Counter<'channel' | 'result' | 'status'>;
  private readonly turns: Counter<'channel' | 'outcome'>;
  private readonly turnSeconds: Histogram<'channel' | 'outcome'>;
  private readonly latencySeconds: Histogram<'channel'>;
  private readonly sends: Counter<'channel' | 'result'>;
  private readonly jobs: Counter<'kind' | 'result'>;

  constructor(probes: Probes, probeTimeoutMs = 1_000) {
    const registers = [this.registry];
    this.callbacks = new Counter({
      name: 'dandang_callbacks_total',
      help: 'Inbound callbacks by channel and result: accepted (new event stored), duplicate (a redelivery), refused (answered with the status, so the platform retries or drops it)',
      labelNames: ['channel', 'result', 'status'],
      registers,
    });
    this.turns = new Counter({
      name: 'dandang_turns_total',
      help: 'Events handled by the inbox worker, by outcome: done, retry (failed, attempt counted), gave-up, deferred (database or state store unavailable; not counted)',
      labelNames: ['channel', 'outcome'],
      registers,
    });
    this.turnSeconds = new Histogram({
      name: 'dandang_turn_duration_seconds',
      help: 'Time to handle one event: the conversation turn and queueing its replies',
      labelNames: ['channel', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.latencySeconds = new Histogram({
      name: 'dandang_event_latency_seconds',
      help: 'From the event being stored (and acknowledged) to its replies being queued',
      labelNames: ['channel'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
      registers,
    });
    this.sends = new Counter({
      name: 'dandang_outbox_sends_total',
      help: 'Delivery attempts from the outbox by channel and result: sent, retry (will be tried again), failed (permanently refused)',
      labelNames: ['channel', 'result'],
      registers,
    });
    this.jobs = new Counter({
      name: 'dandang_job_runs_total',
      help: 'Scheduled job runs (reminders and other jobs) by kind and result',
      labelNames: ['kind', 'result'],
      registers,
    });
    const probe = (name: string, help: string, read: () => Promise<number>) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          // A scrape during a database outage answers at once, with NaN (unknown) rather than a
          // misleading 0 or the last figure read.
          let timer: NodeJS.Timeout | undefined;
          try {
            const value = await Promise.race([
              read(),
              new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), probeTimeoutMs))),
            ]);
            this.set(value);
          } catch {
            this.set(Number.NaN);
          } finally {
            clearTimeout(timer);
          }
        },
      });
    probe('dandang_inbox_pending', 'Received events not yet handled', probes.inboxPending);
    probe('dandang_outbox_depth', 'Messages queued and not yet delivered (pending or being sent)', probes.outboxDepth);
  }

  /** `status` for refusals: what the platform was answered, which decides whether it retries. */
  callback(channel: string, result: CallbackResult, status?: number): void {
    this.callbacks.inc(status === undefined ? { channel, result } : { channel, result, status: String(status) });
  }

  turn(channel: string, outcome: TurnOutcome, seconds: number, latencySeconds?: number): void {
    this.turns.inc({ channel, outcome });
    this.turnSeconds.observe({ channel, outcome }, seconds);
    if (outcome === 'done' && latencySeconds !== undefined) this.latencySeconds.observe({ channel }, Math.max(0, latencySeconds));
  }

  send(channel: string, result: SendResult): void {
    this.sends.inc({ channel, result });
  }

  jobRun(kind: string, result: JobResult): void {
    this.jobs.inc({ kind, result });
  }

  /**
   * Counts the callbacks a channel route refused. It runs outside the error handler, so it sees
   * the status that was actually answered; accepted and duplicate ones are counted by `receive`.
   */
  middleware(): Middleware {
    return async (ctx, next: Next) => {
      try {
        await next();
      } finally {
        const refused = ctx.status >= 400 && ctx.method === 'POST';
        const channel = refused ? CHANNEL_PATH.exec(ctx.path)?.[1] : undefined;
        if (channel) this.callback(channel, 'refused', ctx.status);
      }
    };
  }

  /** The text exposition format: this bot's metrics and the process's. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    const [own, process] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return { contentType: this.registry.contentType, body: `${own}\n${process}` };
  }
}
