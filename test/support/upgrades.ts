import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { migrations } from '../../migrations';
import type { Clock } from '../../src/clock';
import type { Config } from '../../src/config';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { createDataSource } from '../../src/storage/dataSource';
import { attachFieldCipher } from '../../src/storage/fieldCipher';
import { freshMysqlDatabase } from './backends';
import { beforeEncryption } from './fieldKeys';

/** A database of `kind` with nothing in it, for an upgrade story to run migrations over; and how to drop it. */
export async function emptyDatabase(kind: 'sqlite' | 'mariadb'): Promise<{ config: Config['database']; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dandang-upgrade-'));
    return { config: { kind: 'sqlite', path: join(dir, 'db.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const fresh = await freshMysqlDatabase();
  return { config: { kind: 'mysql', url: fresh.url }, drop: fresh.drop };
}

/**
 * The database as an earlier release left it: only its first `count` migrations, text stored as it
 * was before encryption, and the sample roster imported. The caller destroys it.
 */
export async function earlierRelease(config: Config['database'], count: number, clock: Clock): Promise<DataSource> {
  const earlier = new DataSource({ ...createDataSource(config).options, migrations: migrations.slice(0, count) } as DataSourceOptions);
  attachFieldCipher(earlier, beforeEncryption);
  await earlier.initialize();
  await earlier.runMigrations();
  await importRosterFile(earlier, SAMPLE_ROSTER_PATH, clock);
  return earlier;
}
