import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { migrations } from '../../migrations';
import type { Config } from '../config';
import { attachFieldCipher, type FieldCipher } from './fieldCipher';
import { fieldCipherFrom } from './fieldKeys';

export type Database = DataSource;

type Work<T> = (manager: EntityManager) => Promise<T>;

/**
 * SQLite through better-sqlite3 is one connection: two transactions started at once would nest
 * and fail ("cannot start a transaction within a transaction"). They are queued instead, which
 * is what SQLite's single writer would do anyway.
 */
class SqliteDataSource extends DataSource {
  private queue: Promise<unknown> = Promise.resolve();

  override transaction<T>(runInTransaction: Work<T>): Promise<T>;
  override transaction<T>(isolationLevel: IsolationLevel, runInTransaction: Work<T>): Promise<T>;
  override transaction<T>(first: IsolationLevel | Work<T>, second?: Work<T>): Promise<T> {
    const run = () => (typeof first === 'function' ? super.transaction(first) : super.transaction(first, second!));
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/**
 * Connections to MariaDB: the inbox worker's lanes (each may hold one for what its turn records;
 * the turns' completions share two group-committed transactions), the four group-committed inbox
 * writes the webhooks share, and a few for the outbox, the scheduler, the web pages and /metrics,
 * so that a burst of turns never makes a callback wait for one. A turn mostly waits on round trips
 * (Redis, the database), not on this process's CPU, so 32 lanes handle about twice what 16 do.
 * (64 lanes on these 40 connections drained bench:handling's backlog faster, but acknowledged its callbacks slower.)
 */
export const WORKER_LANES = 32;
const POOL_SIZE = WORKER_LANES + 8;

export function createDataSource(database: Config['database']): DataSource {
  if (database.kind === 'sqlite') {
    if (database.path !== ':memory:') mkdirSync(dirname(database.path), { recursive: true });
    return new SqliteDataSource({
      type: 'better-sqlite3',
      database: database.path,
      migrations,
      migrationsTransactionMode: 'each',
      // Concurrent readers with one writer, and a writer that waits instead of failing at once.
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    });
  }
  return new DataSource({
    type: 'mysql',
    url: database.url,
    charset: 'utf8mb4',
    timezone: 'Z',
    poolSize: POOL_SIZE,
    migrations,
    migrationsTransactionMode: 'each',
    bigNumberStrings: true,
    supportBigNumbers: true,
    extra: {
      // mysql2 captures a stack trace on every query to name the caller if it fails: several per cent
      // of a busy webhook's CPU. A failed query is still logged with its error and TypeORM's frames.
      trace: false,
      // Each connection's prepared-statement cache allocates its full size up front: four arrays of
      // 16,000 slots by default, 0.5 MB a connection, 20 MB of heap for the pool, which V8's heap
      // growth then multiplies. TypeORM sends text queries and prepares none, so a few slots do.
      maxPreparedStatements: 16,
    },
  });
}

/** The deployment's database, with the cipher its confidential columns are sealed with. */
export async function openDatabase(database: Config['database'], migrate: boolean, cipher: FieldCipher): Promise<DataSource> {
  const dataSource = attachFieldCipher(createDataSource(database), cipher);
  await dataSource.initialize();
  if (migrate) await dataSource.runMigrations();
  return dataSource;
}

/** The configured database for a command-line tool: its warnings go to stderr. */
export function openConfiguredDatabase(config: Pick<Config, 'database' | 'fieldKeys'>, migrate: boolean): Promise<DataSource> {
  return openDatabase(config.database, migrate, fieldCipherFrom(config.fieldKeys, (warning) => console.error(`warning: ${warning}`)));
}

/**
 * MySQL reports affected rows differently from SQLite through TypeORM's query(); this is the one
 * place that knows both shapes.
 */
export function affectedRows(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  if (result && typeof result === 'object') {
    const r = result as { affectedRows?: number; changes?: number };
    return r.affectedRows ?? r.changes ?? 0;
  }
  return 0;
}

export function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: string; driverError?: { code?: string } };
  const code = e?.driverError?.code ?? e?.code;
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
