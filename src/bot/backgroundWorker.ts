import type { Logger } from '../logger';

export interface Task {
  name: string;
  run(): Promise<unknown>;
}

/**
 * Runs the periodic tasks (inbox drain, outbox dispatch, due jobs) one pass at a time. The
 * interval only decides how soon work is noticed; what is due is always read from the database.
 */
export class BackgroundWorker {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;

  constructor(
    private readonly tasks: Task[],
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
  }

  /** Starts a pass now, or right after the one under way. Resolves when that pass is over. */
  kick(): Promise<void> {
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

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.again = false;
    await this.running;
  }

  private async pass(): Promise<void> {
    for (const task of this.tasks) {
      try {
        await task.run();
      } catch (error) {
        this.logger.error({ task: task.name, reason: error instanceof Error ? error.message : String(error) }, 'background task failed');
      }
    }
  }
}
