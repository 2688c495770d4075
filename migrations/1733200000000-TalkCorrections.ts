import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * A talk record can be corrected by its talker: in place within the grace period, afterwards as
 * an appended correction; and withdrawn within the grace period. Nothing is ever erased.
 */
export class TalkCorrections1733200000000 implements MigrationInterface {
  name = 'TalkCorrections1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('talks', new TableColumn({ name: 'withdrawn_at', type: 'varchar', length: '24', isNullable: true }));
    await q.createTable(
      new Table({
        name: 'talk_corrections',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'talk_id', type: 'integer' },
          { name: 'by_id', type: 'integer' },
          { name: 'at', type: 'varchar', length: '24' },
          { name: 'field', type: 'varchar', length: '20' },
          { name: 'old_value', type: 'text', isNullable: true },
          { name: 'new_value', type: 'text' },
          { name: 'in_place', type: 'integer', default: 0 },
        ],
        indices: [new TableIndex({ name: 'ix_talk_corrections_talk', columnNames: ['talk_id', 'id'] })],
        foreignKeys: [
          { columnNames: ['talk_id'], referencedTableName: 'talks', referencedColumnNames: ['id'] },
          { columnNames: ['by_id'], referencedTableName: 'people', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('talk_corrections');
    await q.dropColumn('talks', 'withdrawn_at');
  }
}
