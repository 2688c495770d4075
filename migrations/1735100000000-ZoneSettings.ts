import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The zone's own choices that 党群工作部 changes while the bot runs (the 八个一体化 list): one row
 * per setting, its value as JSON; every change is also in audit_log with the value before.
 */
export class ZoneSettings1735100000000 implements MigrationInterface {
  name = 'ZoneSettings1735100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'zone_settings',
        columns: [
          { name: 'setting', type: 'varchar', length: '60', isPrimary: true },
          { name: 'value', type: 'text' },
          { name: 'updated_by', type: 'integer' },
          { name: 'updated_at', type: 'varchar', length: '24' },
        ],
        foreignKeys: [{ columnNames: ['updated_by'], referencedTableName: 'people', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('zone_settings');
  }
}
