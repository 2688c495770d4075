import type { JobHandler } from '../scheduling/scheduler';
import type { Metrics } from './metrics';

/**
 * Wraps the scheduler's handlers so that each run is counted by kind and result
 * (`dandang_job_runs_total`): pass `instrumentJobs(handlers, bot.metrics)` where the Scheduler is
 * built. A run that throws is counted as failed and the error goes on to the scheduler unchanged.
 */
export function instrumentJobs(handlers: JobHandler[], metrics: Pick<Metrics, 'jobRun'>): JobHandler[] {
  return handlers.map((handler) => ({
    ...handler,
    async run(job, tx, scheduler) {
      try {
        await handler.run(job, tx, scheduler);
      } catch (error) {
        metrics.jobRun(handler.kind, 'failed');
        throw error;
      }
      metrics.jobRun(handler.kind, 'ok');
    },
    ...(handler.next ? { next: (after: Date) => handler.next!(after) } : {}),
  }));
}
