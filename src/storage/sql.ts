import type { EntityManager } from 'typeorm';
import { sealRow } from './confidential';
import { isDataSource, type Executor } from './executor';

export type { Executor };

/**
 * The repositories speak plain SQL with `?` placeholders, which both mysql2 and better-sqlite3
 * accept; this is where rows are written and affected-row counts read the same way on both.
 * insert() and update() seal the confidential columns (confidential.ts) on the way in.
 */
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
  const list = (Array.isArray(rows) ? rows : [rows]).map((row) => sealRow(ex, table, row));
  if (list.length === 0) return;
  const columns = Object.keys(list[0]);
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  await execute(
    ex,
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${list.map(() => placeholders).join(', ')}`,
    list.flatMap((row) => columns.map((c) => row[c] ?? null)),
  );
}

export async function update(ex: Executor, table: string, values: Record<string, unknown>, where: string, params: unknown[]): Promise<number> {
  const set = sealRow(ex, table, values);
  const columns = Object.keys(set);
  return execute(ex, `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE ${where}`, [
    ...columns.map((c) => set[c] ?? null),
    ...params,
  ]);
}
