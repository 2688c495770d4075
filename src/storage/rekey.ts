import type { DataSource } from 'typeorm';
import type { AuditLog } from '../domain/audit';
import { CONFIDENTIAL_COLUMNS, type ConfidentialTable } from './confidential';
import { fieldCipherOf, FieldKeyError } from './fieldCipher';
import { execute, select } from './sql';

export interface RekeyOptions {
  batchSize?: number;
  /** Only seal values still in plaintext (what every start does after an upgrade); leave older keys' values alone. */
  plaintextOnly?: boolean;
  /** Told after each committed batch, e.g. to print progress. */
  progress?: (table: ConfidentialTable, lastKey: number, resealed: number) => void;
}

export interface RekeyReport {
  keyId: string;
  /** Per table: rows looked at, values resealed. */
  tables: Record<ConfidentialTable, { rows: number; values: number }>;
}

/**
 * Reseals every confidential value not yet under the current key, table by table in key order,
 * one transaction per batch. A batch that stops halfway (a crash, a value that does not open) is
 * rolled back whole and the batches before it stay done; running again carries on, since values
 * already under the current key are recognised by their key id without decrypting. Each write is
 * conditional on the value being what was read, so a record edited meanwhile is not overwritten.
 */
export async function rekey(db: DataSource, audit: AuditLog, options: RekeyOptions = {}): Promise<RekeyReport> {
  const cipher = fieldCipherOf(db);
  const batchSize = options.batchSize ?? 200;
  const report: RekeyReport = { keyId: cipher.currentKeyId, tables: {} as RekeyReport['tables'] };
  const stale = (value: unknown): value is string =>
    typeof value === 'string' && (options.plaintextOnly ? !value.startsWith('enc:') : !cipher.isCurrent(value));

  for (const [table, { key, columns }] of Object.entries(CONFIDENTIAL_COLUMNS) as [ConfidentialTable, (typeof CONFIDENTIAL_COLUMNS)[ConfidentialTable]][]) {
    const counts = { rows: 0, values: 0 };
    report.tables[table] = counts;
    let after = -1;
    for (;;) {
      const rows = await select<Record<string, unknown>>(db, `SELECT ${key}, ${columns.join(', ')} FROM ${table} WHERE ${key} > ? ORDER BY ${key} LIMIT ${batchSize}`, [after]);
      if (rows.length === 0) break;
      const resealed = await db.transaction(async (tx) => {
        let n = 0;
        for (const row of rows) {
          const changed = columns.filter((c) => stale(row[c]));
          if (changed.length === 0) continue;
          const sealed = changed.map((c) => {
            const column = `${table}.${c}`;
            try {
              return cipher.seal(cipher.open(row[c] as string, column), column);
            } catch (error) {
              throw error instanceof FieldKeyError ? new FieldKeyError(`${table} ${key}=${String(row[key])}: ${error.message}`) : error;
            }
          });
          await execute(
            tx,
            `UPDATE ${table} SET ${changed.map((c) => `${c} = ?`).join(', ')} WHERE ${key} = ? AND ${changed.map((c) => `${c} = ?`).join(' AND ')}`,
            [...sealed, row[key], ...changed.map((c) => row[c])],
          );
          n += changed.length;
        }
        return n;
      });
      counts.rows += rows.length;
      counts.values += resealed;
      after = Number(rows[rows.length - 1][key]);
      options.progress?.(table, after, resealed);
    }
  }

  const resealed = Object.values(report.tables).reduce((sum, t) => sum + t.values, 0);
  if (resealed > 0 || !options.plaintextOnly) {
    await audit.append(db, {
      actorId: null,
      channel: 'system',
      action: options.plaintextOnly ? 'data.sealed' : 'data.rekeyed',
      subject: `key:${report.keyId}`,
      detail: { values: resealed, tables: report.tables },
    });
  }
  return report;
}
