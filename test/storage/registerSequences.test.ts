import { DataSource, type DataSourceOptions } from 'typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations';
import { RegisterSequences1735200000000 } from '../../migrations/1735200000000-RegisterSequences';
import { nextNumber } from '../../src/domain/numbering';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { createDataSource } from '../../src/storage/dataSource';
import { databaseBackends, freshMysqlDatabase, testClock } from '../support/backends';

const BEFORE = migrations.indexOf(RegisterSequences1735200000000);

/**
 * The deploy that gives each register its own counter: the numbers already given stay as they
 * are (RC2026-0001, FB2026-0002, RC2026-0003 from the shared counter), and each register goes on
 * from its highest.
 */
describe.each(databaseBackends)('register counters on a $name database that already numbered cases', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  let config: Parameters<typeof createDataSource>[0];
  beforeEach(async () => {
    if (backend.name === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'dandang-registers-'));
      cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
      config = { kind: 'sqlite', path: join(dir, 'db.sqlite') };
    } else {
      const fresh = await freshMysqlDatabase();
      cleanup.push(fresh.drop);
      config = { kind: 'mysql', url: fresh.url };
    }
  });

  /** The database with the first `count` migrations run (all of them by default). */
  const open = async (count = migrations.length): Promise<DataSource> => {
    const db = new DataSource({ ...createDataSource(config).options, migrations: migrations.slice(0, count) } as DataSourceOptions);
    await db.initialize();
    cleanup.push(async () => void (db.isInitialized && (await db.destroy())));
    await db.runMigrations();
    return db;
  };

  it('keeps every number and continues each register from its own highest: RC2026-0004, FB2026-0003, RC2027-0001', async () => {
    const earlier = await open(BEFORE);
    const clock = testClock();
    await importRosterFile(earlier, SAMPLE_ROSTER_PATH, clock);
    const [{ id: person, unit_id: unit }] = await earlier.query(`SELECT id, unit_id FROM people WHERE code = 'P014'`);
    const now = clock.now().toISOString();
    for (const [kind, number] of [['tolerance', 'RC2026-0001'], ['filing', 'FB2026-0002'], ['tolerance', 'RC2026-0003']]) {
      await earlier.query(
        `INSERT INTO cases (kind, number, draft_key, applicant_id, unit_id, matter_id, integrated, path, status, form, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, NULL, 0, 'ordinary', 'in_review', '{}', ?, ?)`,
        [kind, number, `d-${number}`, person, unit, now, now],
      );
    }
    await earlier.destroy();

    const later = await open();
    expect((await later.query('SELECT number FROM cases ORDER BY id')).map((r: { number: string }) => r.number)).toEqual(['RC2026-0001', 'FB2026-0002', 'RC2026-0003']);
    const take = (register: 'RC' | 'FB', year: string) => later.transaction((tx) => nextNumber(tx, register, year));
    expect(await take('RC', '2026')).toBe('RC2026-0004');
    expect(await take('FB', '2026')).toBe('FB2026-0003');
    expect(await take('RC', '2027')).toBe('RC2027-0001');
  });

  // SQLite has one connection, which runs one transaction at a time: there is nothing to race.
  it.runIf(backend.name === 'mariadb')('gives eight transactions taking a number at once 1 … 8, and a ninth that rolls back gives its number back', async () => {
    const db = await open();
    const taken = await Promise.allSettled(
      Array.from({ length: 9 }, (_, i) =>
        db.transaction(async (tx) => {
          const number = await nextNumber(tx, 'WZ', '2026');
          if (i === 4) throw new Error('rolled back');
          return number;
        }),
      ),
    );
    const numbers = taken.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])).sort();
    const refused = taken.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(numbers, `refused: ${refused.join(' | ')}`).toEqual(Array.from({ length: 8 }, (_, i) => `WZ2026-000${i + 1}`));
    expect(await db.transaction((tx) => nextNumber(tx, 'WZ', '2026'))).toBe('WZ2026-0009');
  });
});
