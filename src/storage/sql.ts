import type { DataSource, EntityManager } from 'typeorm';

/**
 * The repositories speak plain SQL with `?` placeholders, which both mysql2 and better-sqlite3
 * accept; this is where rows are written and affected-row counts read the same way on both.
 */
export type Executor = DataSource | EntityManager;

function isDataSource(ex: Executor): ex is DataSource {
  return 'createQueryRunner' in ex && !('queryRunner' in ex);
}

export async function select<T>(ex: Executor, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await ex.query(sql, params)) as T[];
}

/** Runs a statement and returns how many rows it changed. */
export async function execute(ex: Executor, sql: string, params: unknown[] = []): Promise<number> {
  const runner = isDataSource(ex) ? ex.createQueryRunner() : ex.queryRunner;
  if (!runner) {
    const own = (ex as EntityManager).connection.createQueryRunner();
    try {
      return (await own.query(sql, params, true)).affected ?? 0;
    } finally {
      await own.release();
    }
  }
  try {
    return (await runner.query(sql, params, true)).affected ?? 0;
  } finally {
    if (isDataSource(ex)) await runner.release();
  }
}

export async function insert(ex: Executor, table: string, rows: Record<string, unknown> | Record<string, unknown>[]): Promise<void> {
  const list = Array.isArray(rows) ? rows : [rows];
  if (list.length === 0) return;
  const columns = Object.keys(list[0]);
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  await execute(
    ex,
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${list.map(() => placeholders).join(', ')}`,
    list.flatMap((row) => columns.map((c) => row[c] ?? null)),
  );
}

export async function update(ex: Executor, table: string, set: Record<string, unknown>, where: string, params: unknown[]): Promise<number> {
  const columns = Object.keys(set);
  return execute(ex, `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${where}`, [
    ...columns.map((c) => set[c] ?? null),
    ...params,
  ]);
}
