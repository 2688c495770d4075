import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** 集体会审 (《容错细则》第六条（二）2): each participating department's opinion on a filing. */
export class JointReviews1733100000000 implements MigrationInterface {
  name = 'JointReviews1733100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'case_reviews',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'stage_id', type: 'integer' },
          { name: 'reviewer_id', type: 'integer' },
          { name: 'status', type: 'varchar', length: '12' },
          { name: 'stance', type: 'varchar', length: '12', isNullable: true },
          { name: 'opinion', type: 'text', isNullable: true },
          { name: 'requested_at', type: 'varchar', length: '24' },
          { name: 'decided_at', type: 'varchar', length: '24', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ux_reviews_reviewer', columnNames: ['stage_id', 'reviewer_id'], isUnique: true }),
          new TableIndex({ name: 'ix_reviews_pending', columnNames: ['reviewer_id', 'status'] }),
        ],
        foreignKeys: [
          { columnNames: ['stage_id'], referencedTableName: 'case_stages', referencedColumnNames: ['id'] },
          { columnNames: ['reviewer_id'], referencedTableName: 'people', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('case_reviews');
  }
}
