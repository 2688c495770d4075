import type { DataSource, EntityManager } from 'typeorm';
import { zoneDate, type Clock } from '../clock';
import { isDuplicateKey } from '../storage/dataSource';
import { execute, insert, select, update, type Executor } from '../storage/sql';
import { reasonOf, type Logger } from '../logger';
import { installedCalendar, type LoadedCalendar } from './workdays';

export interface JobSpec {
  kind: string;
  /** One row per key, ever: scheduling the same key again is a no-op. */
  uniqueKey: string;
  runAt: Date;
  payload?: Record<string, unknown>;
}

export interface Job {
  id: number;
  kind: string;
  uniqueKey: string;
  payload: Record<string, unknown>;
  runAt: Date;
  attempts: number;
}

export interface JobHandler {
  kind: string;
  /**
   * Runs in one transaction with the job's completion: what it writes (outbox rows, child jobs)
   * is committed together with "done", or rolled back for a retry.
   */
  run(job: Job, tx: EntityManager, scheduler: Scheduler): Promise<void>;
  /** For recurring kinds: when the next occurrence after `after` runs. */
  next?(after: Date): Date;
}

interface JobRow {
  id: number;
  kind: string;
  unique_key: string;
  payload: string;
  run_at: string;
  attempts: number;
}

export interface SchedulerOptions {
  /** A job still running after this long is taken to have crashed with its instance, and is retaken. */
  leaseMs?: number;
  maxAttempts?: number;
  /** Brought up to date with the database before each pass (another instance may have loaded a year). */
  calendar?: { refresh(): Promise<void> };
}

/** Retries wait 30 s, 1 min, 2 min … up to an hour. */
export function jobBackoffMs(attempts: number): number {
  return Math.min(3_600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Runs jobs from `scheduled_jobs`. A job is claimed by a guarded UPDATE, so of several instances
 * exactly one runs it; a claim older than the lease is retaken. The job's own writes and its
 * "done" share a transaction that first re-checks the claim, so an instance whose lease was taken
 * over cannot commit a second copy of the work. What is due is decided by the injected clock.
 */
export class Scheduler {
  private readonly handlers: Map<string, JobHandler>;
  private readonly leaseMs: number;
  private readonly maxAttempts: number;
  private readonly calendar?: SchedulerOptions['calendar'];
  /** The calendar the recurring occurrences now pending were computed under. */
  private seededUnder?: LoadedCalendar;

  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly instanceId: string,
    handlers: JobHandler[],
    options: SchedulerOptions = {},
  ) {
    this.handlers = new Map(handlers.map((h) => [h.kind, h]));
    this.leaseMs = options.leaseMs ?? 5 * 60_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.calendar = options.calendar;
  }

  /** Adds a job unless one with its key exists; true when this call added it. */
  schedule(ex: Executor, spec: JobSpec): Promise<boolean> {
    return scheduleJob(ex, spec);
  }

  /** Many jobs at once (a fan-out), skipping keys that exist; in the caller's transaction. */
  async scheduleMany(ex: Executor, specs: JobSpec[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < specs.length; i += 400) {
      const batch = specs.slice(i, i + 400);
      const keys = batch.map((s) => s.uniqueKey);
      const existing = await select<{ unique_key: string }>(ex, `SELECT unique_key FROM scheduled_jobs WHERE unique_key IN (${keys.map(() => '?').join(', ')})`, keys);
      const known = new Set(existing.map((r) => r.unique_key));
      const fresh = batch.filter((s) => !known.has(s.uniqueKey));
      await insert(ex, 'scheduled_jobs', fresh.map(jobRow));
      added += fresh.length;
    }
    return added;
  }

  /** Runs what is due, a batch at a time, up to `maxJobs`; returns how many ran (done or failed). */
  async runDue(maxJobs = 200): Promise<number> {
    await this.seedRecurring();
    let ran = 0;
    while (ran < maxJobs) {
      const now = this.clock.now();
      const rows = await select<JobRow>(
        this.db,
        `SELECT id, kind, unique_key, payload, run_at, attempts FROM scheduled_jobs
         WHERE (status = 'pending' AND run_at <= ?) OR (status = 'running' AND claimed_at < ?)
         ORDER BY run_at, id LIMIT ${Math.min(50, maxJobs - ran)}`,
        [now.toISOString(), this.staleBefore(now)],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const claimedAt = await this.claim(row.id, now);
        if (!claimedAt) continue;
        await this.runClaimed({ ...toJob(row), attempts: Number(row.attempts) + 1 }, claimedAt);
        ran += 1;
      }
    }
    return ran;
  }

  /**
   * The next occurrence of each recurring kind. Each run also schedules its successor; doing this
   * on every pass as well (a keyed no-op when present) restarts a chain whose link was lost.
   */
  private async seedRecurring(): Promise<void> {
    await this.calendar?.refresh();
    const now = this.clock.now();
    // Occurrences were placed on working days as the calendar stood then: once it changes (a
    // year loaded), one waiting for a day that is now a holiday, or past a 调休 Saturday that is
    // now worked, gives way to the one the new calendar puts first.
    const calendar = installedCalendar();
    const recompute = calendar !== this.seededUnder;
    for (const handler of this.handlers.values()) {
      if (!handler.next) continue;
      const next = occurrence(handler.kind, handler.next(now));
      if (recompute) {
        await execute(
          this.db,
          `DELETE FROM scheduled_jobs WHERE kind = ? AND status = 'pending' AND attempts = 0 AND run_at > ? AND unique_key <> ?`,
          [handler.kind, now.toISOString(), next.uniqueKey],
        );
      }
      await this.schedule(this.db, next);
    }
    this.seededUnder = calendar;
  }

  private async claim(id: number, now: Date): Promise<string | undefined> {
    const claimedAt = now.toISOString();
    const claimed = await execute(
      this.db,
      `UPDATE scheduled_jobs SET status = 'running', claimed_by = ?, claimed_at = ?, attempts = attempts + 1
       WHERE id = ? AND ((status = 'pending' AND run_at <= ?) OR (status = 'running' AND claimed_at < ?))`,
      [this.instanceId, claimedAt, id, claimedAt, this.staleBefore(now)],
    );
    return claimed === 1 ? claimedAt : undefined;
  }

  private async runClaimed(job: Job, claimedAt: string): Promise<void> {
    const handler = this.handlers.get(job.kind);
    // The chain of a recurring kind goes on whatever becomes of this occurrence; a late run does
    // not replay the occurrences missed meanwhile.
    if (handler?.next) {
      const after = new Date(Math.max(job.runAt.getTime(), this.clock.now().getTime()));
      await this.schedule(this.db, occurrence(job.kind, handler.next(after)));
    }
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await this.db.transaction(async (tx) => {
        const mine = await update(
          tx,
          'scheduled_jobs',
          { status: 'done', finished_at: this.clock.now().toISOString(), error: null },
          `id = ? AND status = 'running' AND claimed_by = ? AND claimed_at = ?`,
          [job.id, this.instanceId, claimedAt],
        );
        if (mine !== 1) throw new LostClaim();
        await handler.run(job, tx, this);
      });
    } catch (error) {
      if (error instanceof LostClaim) return;
      await this.fail(job, claimedAt, error);
    }
  }

  private async fail(job: Job, claimedAt: string, error: unknown): Promise<void> {
    const reason = reasonOf(error);
    const final = job.attempts >= this.maxAttempts;
    this.logger[final ? 'error' : 'warn']({ jobId: job.id, kind: job.kind, key: job.uniqueKey, attempts: job.attempts, reason }, 'scheduled job failed');
    await update(
      this.db,
      'scheduled_jobs',
      {
        status: final ? 'failed' : 'pending',
        run_at: new Date(this.clock.now().getTime() + jobBackoffMs(job.attempts)).toISOString(),
        finished_at: final ? this.clock.now().toISOString() : null,
        error: reason.slice(0, 500),
      },
      `id = ? AND claimed_by = ? AND claimed_at = ?`,
      [job.id, this.instanceId, claimedAt],
    );
  }

  private staleBefore(now: Date): string {
    return new Date(now.getTime() - this.leaseMs).toISOString();
  }

}

function jobRow(spec: JobSpec): Record<string, unknown> {
  return {
    kind: spec.kind,
    unique_key: spec.uniqueKey,
    payload: JSON.stringify(spec.payload ?? {}),
    run_at: spec.runAt.toISOString(),
    status: 'pending',
    attempts: 0,
  };
}

/**
 * Adds a job unless one with its key exists, in the caller's transaction; true when this call
 * added it. Code that runs outside the bot (an import command) schedules work for it this way.
 */
export async function scheduleJob(ex: Executor, spec: JobSpec): Promise<boolean> {
  const [existing] = await select<{ id: number }>(ex, 'SELECT id FROM scheduled_jobs WHERE unique_key = ?', [spec.uniqueKey]);
  if (existing) return false;
  try {
    await insert(ex, 'scheduled_jobs', jobRow(spec));
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

class LostClaim extends Error {}

/** A recurring kind's occurrence is keyed by its zone date: `talk-reminders:2026-12-01`. */
export function occurrence(kind: string, runAt: Date): JobSpec {
  return { kind, uniqueKey: `${kind}:${zoneDate(runAt)}`, runAt };
}

function toJob(row: JobRow): Job {
  return {
    id: Number(row.id),
    kind: row.kind,
    uniqueKey: row.unique_key,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    runAt: new Date(row.run_at),
    attempts: Number(row.attempts),
  };
}
