import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { databaseBackends } from '../support/backends';

interface ColumnShape {
  type: string;
  nullable: boolean;
}

type Schema = Record<string, { columns: Record<string, ColumnShape>; uniques: string[] }>;

/** Type families that mean the same on both engines: what the application can rely on. */
function family(rawType: string): string {
  const t = rawType.toLowerCase();
  if (/^(int|integer|bigint)/.test(t)) return 'integer';
  const varchar = /^varchar\((\d+)\)/.exec(t);
  if (varchar) return `varchar(${varchar[1]})`;
  if (/text/.test(t)) return 'text';
  return t;
}

async function sqliteSchema(db: DataSource): Promise<Schema> {
  const tables: { name: string }[] = await db.query(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'migrations'`,
  );
  const schema: Schema = {};
  for (const { name } of tables) {
    const columns: { name: string; type: string; notnull: number }[] = await db.query(`PRAGMA table_info("${name}")`);
    const indexes: { name: string; unique: number }[] = await db.query(`PRAGMA index_list("${name}")`);
    const uniques: string[] = [];
    for (const index of indexes.filter((i) => i.unique === 1 && !i.name.startsWith('sqlite_autoindex'))) {
      const cols: { name: string }[] = await db.query(`PRAGMA index_info("${index.name}")`);
      uniques.push(cols.map((c) => c.name).join(','));
    }
    schema[name] = {
      columns: Object.fromEntries(columns.map((c) => [c.name, { type: family(c.type), nullable: c.notnull === 0 }])),
      uniques: uniques.sort(),
    };
  }
  return schema;
}

async function mariadbSchema(db: DataSource): Promise<Schema> {
  const columns: { t: string; c: string; type: string; nullable: string }[] = await db.query(
    `SELECT table_name AS t, column_name AS c, column_type AS type, is_nullable AS nullable
     FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name <> 'migrations'`,
  );
  const uniques: { t: string; i: string; cols: string }[] = await db.query(
    `SELECT table_name AS t, index_name AS i, GROUP_CONCAT(column_name ORDER BY seq_in_index) AS cols
     FROM information_schema.statistics WHERE table_schema = DATABASE() AND non_unique = 0 AND index_name <> 'PRIMARY'
     AND table_name <> 'migrations' GROUP BY table_name, index_name`,
  );
  const schema: Schema = {};
  for (const col of columns) {
    schema[col.t] ??= { columns: {}, uniques: [] };
    schema[col.t].columns[col.c] = { type: family(col.type), nullable: col.nullable === 'YES' };
  }
  for (const u of uniques) schema[u.t].uniques.push(u.cols);
  for (const table of Object.values(schema)) table.uniques.sort();
  return schema;
}

describe('migrations', () => {
  const schemas: Partial<Record<string, Schema>> = {};
  const disposers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    for (const backend of databaseBackends) {
      const { db, dispose } = await backend.open();
      disposers.push(dispose);
      schemas[backend.name] = backend.name === 'sqlite' ? await sqliteSchema(db) : await mariadbSchema(db);
      // Down then up again must work too: a failed deploy is rolled back with the same migrations.
      await db.undoLastMigration();
      await db.runMigrations();
    }
  });
  afterAll(async () => {
    for (const dispose of disposers) await dispose();
  });

  it('create the roster, inbox, outbox, job and audit tables', () => {
    expect(Object.keys(schemas.sqlite!)).toEqual(
      expect.arrayContaining([
        'accountability_matters', 'audit_log', 'case_reviews', 'case_stages', 'case_tasks', 'cases', 'inbox', 'outbox', 'people',
        'role_assignments', 'scheduled_jobs', 'talk_participants', 'talks', 'units',
      ]),
    );
    expect(schemas.sqlite!.inbox.uniques).toContain('channel,dedupe_key');
    expect(schemas.sqlite!.people.columns.wecom_user_id).toEqual({ type: 'varchar(64)', nullable: true });
  });

  it.runIf(databaseBackends.some((b) => b.name === 'mariadb'))('create the same schema on SQLite and MariaDB', () => {
    expect(Object.keys(schemas.mariadb!).length).toBeGreaterThanOrEqual(14);
    expect(schemas.mariadb).toEqual(schemas.sqlite);
  });
});
