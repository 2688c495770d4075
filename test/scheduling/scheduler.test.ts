import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import type { ManualClock } from '../../src/clock';
import { createLogger } from '../../src/logger';
import { jobBackoffMs, Scheduler, type JobHandler } from '../../src/scheduling/scheduler';
import { createDataSource } from '../../src/storage/dataSource';
import { insert, select } from '../../src/storage/sql';
import { nextWorkingMorning } from '../../src/scheduling/recurrence';
import { databaseBackends, testClock } from '../support/backends';

const at = (iso: string) => new Date(iso);

describe.each(databaseBackends)('the job scheduler on $name', (backend) => {
  let db: DataSource;
  let config: Awaited<ReturnType<typeof backend.open>>['config'];
  let dispose: () => Promise<void>;
  let clock: ManualClock;
  let ran: string[];

  /** Each run writes an outbox row in the job's transaction: what "sent" means for a job. */
  const recording: JobHandler = {
    kind: 'note',
    async run(job, tx) {
      ran.push(job.uniqueKey);
      await insert(tx, 'outbox', {
        channel: 'simulator', recipient: job.uniqueKey, payload: '{}', status: 'pending', attempts: 0, next_attempt_at: job.runAt.toISOString(),
        created_at: job.runAt.toISOString(),
      });
    },
  };
  const scheduler = (handlers: JobHandler[], instance = 'a', on: DataSource = db) =>
    new Scheduler(on, clock, createLogger('silent'), instance, handlers, { leaseMs: 60_000, maxAttempts: 3 });
  const statuses = async () => (await select<{ unique_key: string; status: string }>(db, 'SELECT unique_key, status FROM scheduled_jobs ORDER BY id')).map((r) => `${r.unique_key}=${r.status}`);
  const sent = async () => (await select<{ recipient: string }>(db, 'SELECT recipient FROM outbox ORDER BY id')).map((r) => r.recipient);

  beforeEach(async () => {
    ({ db, config, dispose } = await backend.open());
    clock = testClock('2026-11-27T02:00:00.000Z');
    ran = [];
  });
  afterEach(async () => dispose());

  it('when a job is scheduled twice under one key, then it exists and runs once, when the clock reaches it', async () => {
    const jobs = scheduler([recording]);
    expect(await jobs.schedule(db, { kind: 'note', uniqueKey: 'digest:2026-12-01', runAt: at('2026-12-01T01:00:00Z'), payload: { n: 1 } })).toBe(true);
    expect(await jobs.schedule(db, { kind: 'note', uniqueKey: 'digest:2026-12-01', runAt: at('2026-12-02T01:00:00Z') })).toBe(false);
    expect(await jobs.runDue()).toBe(0);
    clock.set(at('2026-12-01T01:00:00Z'));
    expect(await jobs.runDue()).toBe(1);
    expect(await jobs.runDue()).toBe(0);
    expect(ran).toEqual(['digest:2026-12-01']);
    expect(await statuses()).toEqual(['digest:2026-12-01=done']);
  });

  it('when a job fails, then its writes are rolled back and it is retried after a backoff, up to a limit', async () => {
    let failures = 0;
    const flaky: JobHandler = {
      kind: 'note',
      async run(job, tx, s) {
        await recording.run(job, tx, s);
        failures += 1;
        throw new Error('messenger down');
      },
    };
    const jobs = scheduler([flaky]);
    await jobs.schedule(db, { kind: 'note', uniqueKey: 'k', runAt: clock.now() });
    expect(await jobs.runDue()).toBe(1);
    expect(await sent()).toEqual([]);
    expect(await jobs.runDue()).toBe(0);
    clock.advance(jobBackoffMs(1));
    await jobs.runDue();
    clock.advance(jobBackoffMs(2));
    await jobs.runDue();
    clock.advance(jobBackoffMs(3));
    expect(await jobs.runDue()).toBe(0);
    expect(failures).toBe(3);
    const [row] = await select<{ status: string; attempts: number; error: string }>(db, 'SELECT status, attempts, error FROM scheduled_jobs');
    expect({ ...row, attempts: Number(row.attempts) }).toEqual({ status: 'failed', attempts: 3, error: 'messenger down' });
  });

  it('when an instance died holding a job, then another takes it over after the lease, and runs it once', async () => {
    await insert(db, 'scheduled_jobs', {
      kind: 'note', unique_key: 'orphan', payload: '{}', run_at: clock.now().toISOString(), status: 'running', attempts: 1,
      claimed_by: 'dead', claimed_at: clock.now().toISOString(),
    });
    const jobs = scheduler([recording], 'b');
    expect(await jobs.runDue()).toBe(0);
    clock.advance(61_000);
    expect(await jobs.runDue()).toBe(1);
    expect(await jobs.runDue()).toBe(0);
    expect(await sent()).toEqual(['orphan']);
  });

  it('when two instances on one database run at once, then each job runs exactly once', async () => {
    // Two processes have two connections; SQLite in memory is one connection shared by both.
    const other = backend.name === 'sqlite' ? db : createDataSource(config);
    if (!other.isInitialized) await other.initialize();
    try {
      const a = scheduler([recording], 'a');
      const b = scheduler([recording], 'b', other);
      for (let i = 0; i < 30; i += 1) await a.schedule(db, { kind: 'note', uniqueKey: `job-${i}`, runAt: clock.now() });
      const [byA, byB] = await Promise.all([a.runDue(), b.runDue()]);
      expect(byA + byB).toBe(30);
      expect([...ran].sort()).toEqual(Array.from({ length: 30 }, (_, i) => `job-${i}`).sort());
      expect(new Set(await sent()).size).toBe(30);
      expect(await sent()).toHaveLength(30);
    } finally {
      if (other !== db) await other.destroy();
    }
  });

  it('when a recurring job runs, then its next occurrence is scheduled under that day’s key, on working days only', async () => {
    const daily: JobHandler = { ...recording, kind: 'daily', next: nextWorkingMorning };
    const jobs = scheduler([daily]);
    clock.set(at('2026-09-30T02:00:00Z'));
    await jobs.runDue();
    expect(await statuses()).toEqual(['daily:2026-10-08=pending']);
    for (const morning of ['2026-10-08', '2026-10-09', '2026-10-10']) {
      clock.set(at(`${morning}T01:30:00Z`));
      await jobs.runDue();
    }
    // A week later nothing ran meanwhile: the overdue occurrence runs once, the missed days are not replayed.
    clock.set(at('2026-10-16T03:00:00Z'));
    await jobs.runDue();
    expect(ran).toEqual(['daily:2026-10-08', 'daily:2026-10-09', 'daily:2026-10-10', 'daily:2026-10-12']);
    expect((await statuses()).slice(-2)).toEqual(['daily:2026-10-12=done', 'daily:2026-10-19=pending']);
  });
});
