import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { errorForLog, reasonOf } from '../../src/logger';
import { databaseBackends } from '../support/backends';

/**
 * MariaDB quotes the value it could not take in its error message ("Incorrect integer value:
 * '…' for column", "Duplicate entry '…' for key"), and that value can be what a person typed. Such
 * a message reaches a log line only without the value; the column and key names stay.
 */
describe.each(databaseBackends.filter((b) => b.name === 'mariadb'))('database errors in the logs, on $name', (backend) => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  beforeEach(async () => ({ db, dispose } = await backend.open()));
  afterEach(async () => dispose());

  const failure = async (sql: string, params: unknown[]) => {
    try {
      await db.query(sql, params);
    } catch (error) {
      return error;
    }
    throw new Error('the statement did not fail');
  };

  it('keep what went wrong and where, never the value a person typed', async () => {
    const typed = '我对这次处理有意见SECRET';
    const insert = `INSERT INTO inbox (channel, dedupe_key, user_key, payload, status, attempts, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`;
    const wrongType = await failure(insert, ['wecom', 'k1', 'u', '{}', 'pending', typed, '2026-01-01T00:00:00.000Z']);
    await db.query(insert, ['wecom', typed, 'u', '{}', 'pending', 0, '2026-01-01T00:00:00.000Z']);
    const duplicate = await failure(insert, ['wecom', typed, 'u', '{}', 'pending', 0, '2026-01-01T00:00:00.000Z']);
    for (const error of [wrongType, duplicate]) {
      expect((error as Error).message).toContain(typed);
      const logged = JSON.stringify(errorForLog(error));
      expect(logged).not.toContain('SECRET');
      expect(reasonOf(error)).not.toContain('SECRET');
    }
    expect(reasonOf(wrongType)).toMatch(/Incorrect integer value: '…' for column .*attempts/);
    expect(reasonOf(duplicate)).toMatch(/Duplicate entry '…' for key 'ux_inbox_dedupe'/);
  });
});
