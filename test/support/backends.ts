import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { DataSource } from 'typeorm';
import { ManualClock, type Clock } from '../../src/clock';
import type { Config } from '../../src/config';
import { MemoryStateStore } from '../../src/state/memoryStateStore';
import { RedisStateStore } from '../../src/state/redisStateStore';
import type { StateStore } from '../../src/state/stateStore';
import { createDataSource } from '../../src/storage/dataSource';
import { attachFieldCipher } from '../../src/storage/fieldCipher';
import { testCipher } from './fieldKeys';

export const mysqlUrl = process.env.TEST_DATABASE_URL;
export const redisUrl = process.env.TEST_REDIS_URL;

export interface DatabaseBackend {
  name: 'sqlite' | 'mariadb';
  /** A fresh, migrated, empty database of this kind; dispose() removes it. */
  open(): Promise<{ db: DataSource; config: Config['database']; dispose(): Promise<void> }>;
}

export interface StateBackend {
  name: 'memory' | 'redis';
  /** On Redis, the same namespace reaches the same keys: what a restarted process sees. */
  open(clock: Clock, namespace?: string): StateStore;
}

const sqlite: DatabaseBackend = {
  name: 'sqlite',
  async open() {
    const config = { kind: 'sqlite' as const, path: ':memory:' };
    const db = attachFieldCipher(createDataSource(config), testCipher);
    await db.initialize();
    await db.runMigrations();
    return { db, config, dispose: async () => void (db.isInitialized && (await db.destroy())) };
  },
};

/** Each test gets a database of its own, so test files can run in parallel on one server. */
export async function freshMysqlDatabase(server = mysqlUrl, prefix = 'dandang_t_'): Promise<{ url: string; drop(): Promise<void> }> {
  if (!server) throw new Error('TEST_DATABASE_URL is not set');
  const name = `${prefix}${randomBytes(6).toString('hex')}`;
  const admin = await createConnection(server);
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = await createConnection(server);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

const mariadb: DatabaseBackend = {
  name: 'mariadb',
  async open() {
    const fresh = await freshMysqlDatabase();
    const config = { kind: 'mysql' as const, url: fresh.url };
    const db = attachFieldCipher(createDataSource(config), testCipher);
    await db.initialize();
    await db.runMigrations();
    return {
      db,
      config,
      async dispose() {
        if (db.isInitialized) await db.destroy();
        await fresh.drop();
      },
    };
  },
};

const memory: StateBackend = { name: 'memory', open: (clock) => new MemoryStateStore(clock) };
const redis: StateBackend = {
  name: 'redis',
  open: (_clock, namespace = randomBytes(6).toString('hex')) => new RedisStateStore(redisUrl!, `dandang-test:${namespace}:`),
};

export const databaseBackends: DatabaseBackend[] = mysqlUrl ? [sqlite, mariadb] : [sqlite];
export const stateBackends: StateBackend[] = redisUrl ? [memory, redis] : [memory];

export function testClock(iso = '2026-11-27T02:00:00.000Z'): ManualClock {
  return new ManualClock(new Date(iso));
}
