import { fieldCipherOf } from './fieldCipher';
import type { Executor } from './executor';

/**
 * The columns stored encrypted, by table, with each table's key (what rekey walks in order). The
 * inbox and outbox are not here: they hold a message only until it is handled or sent (see
 * docs/guarantees.md), and the delivery code compares their payloads in SQL.
 */
export const CONFIDENTIAL_COLUMNS = {
  talks: { key: 'id', columns: ['summary', 'issues_raised', 'follow_ups'] },
  talk_corrections: { key: 'id', columns: ['old_value', 'new_value'] },
  cases: { key: 'id', columns: ['form'] },
  case_stages: { key: 'id', columns: ['opinion', 'findings'] },
  case_reviews: { key: 'id', columns: ['opinion'] },
  draft_copies: { key: 'person_id', columns: ['payload'] },
} as const satisfies Record<string, { key: string; columns: readonly string[] }>;

export type ConfidentialTable = keyof typeof CONFIDENTIAL_COLUMNS;

const columnsOf = (table: string): readonly string[] => (CONFIDENTIAL_COLUMNS as Record<string, { columns: readonly string[] }>)[table]?.columns ?? [];

/** The row as it is written: its confidential columns sealed, the others untouched. */
export function sealRow<R extends Record<string, unknown>>(ex: Executor, table: string, row: R): R {
  const columns = columnsOf(table).filter((c) => typeof row[c] === 'string');
  if (columns.length === 0) return row;
  const cipher = fieldCipherOf(ex);
  return { ...row, ...Object.fromEntries(columns.map((c) => [c, cipher.seal(row[c] as string, `${table}.${c}`)])) };
}

/** The row as it was read, its confidential columns opened (a row missing a column keeps it missing). */
export function openRow<R extends object>(ex: Executor, table: ConfidentialTable, row: R): R {
  const cipher = fieldCipherOf(ex);
  const record = row as Record<string, unknown>;
  const opened = { ...record };
  for (const c of columnsOf(table)) if (typeof record[c] === 'string') opened[c] = cipher.open(record[c], `${table}.${c}`);
  return opened as R;
}

/** select() on one confidential table: the rows come back opened. */
export async function selectOpened<R extends object>(ex: Executor, table: ConfidentialTable, sql: string, params: unknown[] = []): Promise<R[]> {
  return ((await ex.query(sql, params)) as R[]).map((row) => openRow(ex, table, row));
}
