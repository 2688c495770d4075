import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A durable copy of each person's half-filled dialogue, written in the transaction that marks the
 * event handled: Redis losing its data (a restart without persistence, an eviction, a failover that
 * dropped the last writes) no longer loses what people typed. `revision` orders the copy against
 * the one in Redis; the newer wins.
 */
export class DraftCopies1734110000000 implements MigrationInterface {
  name = 'DraftCopies1734110000000';

  async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.driver.options.type === 'mysql';
    await q.createTable(
      new Table({
        name: 'draft_copies',
        columns: [
          { name: 'person_id', type: 'integer', isPrimary: true },
          { name: 'revision', type: 'integer' },
          { name: 'payload', type: mysql ? 'mediumtext' : 'text' },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
        foreignKeys: [{ columnNames: ['person_id'], referencedTableName: 'people', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('draft_copies');
  }
}
