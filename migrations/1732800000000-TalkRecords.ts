import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

export class TalkRecords1732800000000 implements MigrationInterface {
  name = 'TalkRecords1732800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'talks',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          // The dialogue draft that produced the record: submitting the same draft twice finds this row.
          { name: 'draft_key', type: 'varchar', length: '64' },
          { name: 'talker_id', type: 'integer' },
          { name: 'talked_on', type: 'varchar', length: '10' },
          { name: 'kind', type: 'varchar', length: '20' },
          { name: 'place', type: 'varchar', length: '100' },
          { name: 'topics', type: 'varchar', length: '200' },
          { name: 'summary', type: 'text' },
          { name: 'issues_raised', type: 'text', isNullable: true },
          { name: 'follow_ups', type: 'text', isNullable: true },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'created_at', type: 'varchar', length: '24' },
        ],
        indices: [
          new TableIndex({ name: 'ux_talks_draft', columnNames: ['draft_key'], isUnique: true }),
          new TableIndex({ name: 'ix_talks_talker', columnNames: ['talker_id', 'talked_on'] }),
        ],
        foreignKeys: [{ columnNames: ['talker_id'], referencedTableName: 'people', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'talk_participants',
        columns: [
          { name: 'talk_id', type: 'integer', isPrimary: true },
          { name: 'person_id', type: 'integer', isPrimary: true },
        ],
        indices: [new TableIndex({ name: 'ix_talk_participants_person', columnNames: ['person_id'] })],
        foreignKeys: [
          { columnNames: ['talk_id'], referencedTableName: 'talks', referencedColumnNames: ['id'] },
          { columnNames: ['person_id'], referencedTableName: 'people', referencedColumnNames: ['id'] },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('talk_participants');
    await q.dropTable('talks');
  }
}
