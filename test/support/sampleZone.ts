import type { DataSource } from 'typeorm';
import type { ManualClock } from '../../src/clock';
import type { Notifier } from '../../src/domain/notifier';
import { createLogger } from '../../src/logger';
import { importRosterFile } from '../../src/roster/importRoster';
import { RosterRepository } from '../../src/roster/rosterRepository';
import type { Person } from '../../src/roster/types';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { createScheduler } from '../../src/scheduling/jobs';
import type { Scheduler } from '../../src/scheduling/scheduler';
import type { Services } from '../../src/services';
import { buildServices, type DomainPorts } from '../../src/wiring/services';
import type { TalkSettings } from '../../src/domain/talks/settings';
import type { DeadlineSettings } from '../../src/domain/workflow/deadlines';
import { insert } from '../../src/storage/sql';
import { testClock, type DatabaseBackend } from './backends';
import { testConfig } from './fixtures';

/** A notifier that keeps what it was asked to send, in order, instead of queueing it. */
export class RecordingNotifier implements Notifier {
  readonly sent: { personId: number; message: Parameters<Notifier['notify']>[2] }[] = [];
  async notify(_ex: Parameters<Notifier['notify']>[0], personId: number, message: Parameters<Notifier['notify']>[2]): Promise<void> {
    this.sent.push({ personId, message });
  }
}

/** The sample roster on a fresh database, with the domain services over it and lookups by code. */
export interface SampleZone {
  db: DataSource;
  clock: ManualClock;
  services: Services;
  roster: RosterRepository;
  /** Person id by roster code (P012 …). */
  id(code: string): number;
  code(id: number): string;
  person(code: string): Promise<Person>;
  scheduler(instanceId?: string, notifier?: Notifier): Scheduler;
  dispose(): Promise<void>;
}

export async function openSampleZone(
  backend: DatabaseBackend,
  options: { now?: string; settings?: TalkSettings; deadlines?: DeadlineSettings; notifier?: Notifier; env?: NodeJS.ProcessEnv; ports?: DomainPorts } = {},
): Promise<SampleZone> {
  const { db, dispose } = await backend.open();
  const clock = testClock(options.now);
  await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
  const roster = new RosterRepository(db);
  const notifier = options.notifier ?? new RecordingNotifier();
  const config = testConfig(options.env);
  const settings = { ...config, talks: options.settings ?? config.talks, deadlines: options.deadlines ?? config.deadlines };
  const services = buildServices(db, clock, roster, notifier, settings, options.ports);
  // As the bot does at start: this database's loaded holiday years, not another test's.
  await services.calendar.reload();
  const rows: { id: number; code: string }[] = await db.query('SELECT id, code FROM people');
  const ids = new Map(rows.map((r) => [r.code, Number(r.id)]));
  const codes = new Map(rows.map((r) => [Number(r.id), r.code]));
  return {
    db,
    clock,
    services,
    roster,
    id: (code) => ids.get(code)!,
    code: (id) => codes.get(id)!,
    person: async (code) => (await roster.person(ids.get(code)!))!,
    scheduler: (instanceId = 'test-a', other?: Notifier) =>
      createScheduler({
        db,
        clock,
        logger: createLogger('silent'),
        instanceId,
        services: other ? buildServices(db, clock, roster, other, settings, options.ports) : services,
        config,
      }),
    dispose,
  };
}

/** Adds a person to the sample roster directly, for joiners and leavers. */
export async function addPerson(
  db: DataSource,
  p: { code: string; name: string; unitCode: string; joinedOn: string | null; leftOn?: string | null; nature?: string },
): Promise<number> {
  const [unit]: { id: number }[] = await db.query('SELECT id FROM units WHERE code = ?', [p.unitCode]);
  const now = '2026-01-01T00:00:00.000Z';
  await insert(db, 'people', {
    code: p.code, name: p.name, post: '科员', nature: p.nature ?? '事业', unit_id: unit.id, city_managed: 0, wecom_user_id: null, dingtalk_user_id: null,
    joined_on: p.joinedOn, left_on: p.leftOn ?? null, created_at: now, updated_at: now,
  });
  const [row]: { id: number }[] = await db.query('SELECT id FROM people WHERE code = ?', [p.code]);
  return Number(row.id);
}
