import { reasonOf, type Logger } from '../logger';
import { isInfrastructureFailure } from './infrastructure';
import { OutageLog } from './outageLog';

export interface Task {
  name: string;
  run(): Promise<unknown>;
}

/** One task's loop: one pass at a time, and a kick during a pass asks for one more after it. */
class Lane {
  private running?: Promise<void>;
  private again = false;
  stopped = false;

  constructor(
    private readonly task: Task,
    private readonly logger: Logger,
    private readonly outages: OutageLog,
  ) {}

  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.kick();
      }
    });
    return this.running;
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async pass(): Promise<void> {
    try {
      await this.task.run();
      await this.outages.succeeded(this.task.name);
    } catch (error) {
      // An outage is said once when it starts and once when it ends, not once a pass.
      if (isInfrastructureFailure(error)) this.outages.down(this.task.name, error);
      else this.logger.error({ task: this.task.name, reason: reasonOf(error) }, 'background task failed');
    }
  }
}

/**
 * Runs the periodic tasks (inbox drain, outbox dispatch, due jobs), each in a lane of its own so
 * that a backlog of sends never delays handling what people type. The interval only decides how
 * soon work is noticed; what is due is always read from the database.
 */
export class BackgroundWorker {
  private timer?: NodeJS.Timeout;
  private readonly lanes: Map<string, Lane>;

  constructor(
    tasks: Task[],
    private readonly intervalMs: number,
    logger: Logger,
    outages: OutageLog = new OutageLog(logger),
  ) {
    this.lanes = new Map(tasks.map((t) => [t.name, new Lane(t, logger, outages)]));
  }

  start(): void {
    this.timer ??= setInterval(() => void this.kick(), this.intervalMs);
    this.timer.unref();
  }

  /** Starts a pass of the named tasks (all when none are named); resolves when those passes end. */
  async kick(...names: string[]): Promise<void> {
    const lanes = names.length === 0 ? [...this.lanes.values()] : names.map((n) => this.lanes.get(n)).filter((l): l is Lane => !!l);
    await Promise.all(lanes.map((lane) => lane.kick()));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const lane of this.lanes.values()) lane.stopped = true;
    await Promise.all([...this.lanes.values()].map((lane) => lane.idle()));
  }
}
