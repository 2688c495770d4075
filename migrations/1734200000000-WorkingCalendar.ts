import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The holiday arrangements the zone loads itself (a year the chinese-days package does not carry
 * yet, or corrects): one `calendar_loads` row per load, kept as history, and the named days of
 * each year's current arrangement. The highest load id is the calendar's version, which each
 * instance compares to decide whether to re-read the days.
 */
export class WorkingCalendar1734200000000 implements MigrationInterface {
  name = 'WorkingCalendar1734200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'calendar_loads',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'year', type: 'integer' },
          { name: 'loaded_by', type: 'integer', isNullable: true },
          { name: 'channel', type: 'varchar', length: '20' },
          { name: 'source', type: 'varchar', length: '200' },
          { name: 'holidays', type: 'integer' },
          { name: 'workdays', type: 'integer' },
          { name: 'loaded_at', type: 'varchar', length: '24' },
        ],
        indices: [new TableIndex({ name: 'ix_calendar_loads_year', columnNames: ['year', 'id'] })],
        foreignKeys: [{ columnNames: ['loaded_by'], referencedTableName: 'people', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'calendar_days',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'year', type: 'integer' },
          { name: 'day', type: 'varchar', length: '10' },
          { name: 'kind', type: 'varchar', length: '10' },
          { name: 'name', type: 'varchar', length: '20' },
          { name: 'load_id', type: 'integer' },
        ],
        // A date belongs to one year's arrangement only (元旦's may reach into the December before).
        indices: [new TableIndex({ name: 'ux_calendar_days_day', columnNames: ['day'], isUnique: true })],
        foreignKeys: [{ columnNames: ['load_id'], referencedTableName: 'calendar_loads', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('calendar_days');
    await q.dropTable('calendar_loads');
  }
}
