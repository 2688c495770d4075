import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class TalkQuotas1733000000000 implements MigrationInterface {
  name = 'TalkQuotas1733000000000';

  async up(q: QueryRunner): Promise<void> {
    // A unit that asks for more than the policy's once a year (激励办法 第十一条（四）“至少1次”)
    // records it here, e.g. once each quarter; it applies to the unit and the units below it.
    await q.createTable(
      new Table({
        name: 'talk_quota_rules',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'unit_id', type: 'integer' },
          { name: 'period', type: 'varchar', length: '10' },
          { name: 'times', type: 'integer' },
          { name: 'created_at', type: 'varchar', length: '24' },
        ],
        indices: [new TableIndex({ name: 'ux_talk_quota_rules_unit', columnNames: ['unit_id'], isUnique: true })],
        foreignKeys: [{ columnNames: ['unit_id'], referencedTableName: 'units', referencedColumnNames: ['id'] }],
      }),
    );
    // 被调整干部 (能上能下办法 第十三条): the influence period and how often their party secretary
    // talks with them meanwhile (第十四条); the talks owed are derived from these rows.
    await q.createTable(
      new Table({
        name: 'cadre_adjustments',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'draft_key', type: 'varchar', length: '64' },
          { name: 'person_id', type: 'integer' },
          { name: 'kind', type: 'varchar', length: '10' },
          { name: 'adjusted_on', type: 'varchar', length: '10' },
          { name: 'ends_on', type: 'varchar', length: '10' },
          { name: 'talk_period', type: 'varchar', length: '10' },
          { name: 'note', type: 'text', isNullable: true },
          { name: 'recorded_by', type: 'integer' },
          { name: 'created_at', type: 'varchar', length: '24' },
        ],
        indices: [
          new TableIndex({ name: 'ux_cadre_adjustments_draft', columnNames: ['draft_key'], isUnique: true }),
          new TableIndex({ name: 'ix_cadre_adjustments_period', columnNames: ['ends_on', 'adjusted_on'] }),
        ],
        foreignKeys: [
          { columnNames: ['person_id'], referencedTableName: 'people', referencedColumnNames: ['id'] },
          { columnNames: ['recorded_by'], referencedTableName: 'people', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('cadre_adjustments');
    await q.dropTable('talk_quota_rules');
  }
}
