import type { MigrationInterface, QueryRunner } from 'typeorm';
import { fieldCipherOf } from '../src/storage/fieldCipher';

/**
 * Confidential text is stored as base64 AES-256-GCM envelopes (src/storage/fieldCipher.ts), about
 * 4/3 of the UTF-8 bytes plus 60: a long talk summary no longer fits MariaDB's TEXT (64 KB), so
 * these columns become MEDIUMTEXT there. SQLite's TEXT has no such limit.
 *
 * Rows written before stay plaintext here: a migration does not hold the keys. They are sealed by
 * the first start after this migration, or by `npm run data:rekey` (src/storage/rekey.ts).
 * Undoing it opens every sealed value again with the connection's keys: the release before
 * this one reads plaintext only. The list is written out rather than imported, so this migration
 * means the same whatever the code becomes.
 */
const WIDENED: Record<string, string[]> = {
  talks: ['summary', 'issues_raised', 'follow_ups'],
  talk_corrections: ['old_value', 'new_value'],
  cases: ['form'],
  case_stages: ['opinion', 'findings'],
  case_reviews: ['opinion'],
};

const SEALED: [table: string, key: string, columns: string[]][] = [
  ...Object.entries(WIDENED).map(([table, columns]): [string, string, string[]] => [table, 'id', columns]),
  ['draft_copies', 'person_id', ['payload']],
];

async function unseal(q: QueryRunner): Promise<void> {
  const cipher = fieldCipherOf(q.connection);
  for (const [table, key, columns] of SEALED) {
    for (const column of columns) {
      const rows = (await q.query(`SELECT ${key} AS k, ${column} AS v FROM ${table} WHERE ${column} LIKE 'enc:%'`)) as { k: number; v: string }[];
      for (const row of rows) await q.query(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`, [cipher.open(row.v, `${table}.${column}`), row.k]);
    }
  }
}

async function retype(q: QueryRunner, type: 'MEDIUMTEXT' | 'TEXT'): Promise<void> {
  if (q.connection.driver.options.type !== 'mysql') return;
  for (const [table, columns] of Object.entries(WIDENED)) {
    const nullable = await q.query(
      `SELECT COLUMN_NAME AS name, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`,
      [table],
    ) as { name: string; nullable: string }[];
    const modify = columns.map((c) => `MODIFY \`${c}\` ${type} ${nullable.find((n) => n.name === c)?.nullable === 'YES' ? 'NULL' : 'NOT NULL'}`);
    await q.query(`ALTER TABLE \`${table}\` ${modify.join(', ')}`);
  }
}

export class ConfidentialColumns1735600000000 implements MigrationInterface {
  name = 'ConfidentialColumns1735600000000';

  async up(q: QueryRunner): Promise<void> {
    await retype(q, 'MEDIUMTEXT');
  }

  async down(q: QueryRunner): Promise<void> {
    await unseal(q);
    await retype(q, 'TEXT');
  }
}
