import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

// Instants are ISO-8601 UTC strings and calendar dates YYYY-MM-DD: the same bytes on SQLite and
// MariaDB, sortable, and free of the session time-zone conversions of DATETIME columns.
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const instant = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: '24', isNullable });
const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
const text = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
const int = (name: string, isNullable = false, def?: number): TableColumnOptions => ({ name, type: 'integer', isNullable, default: def });

export class Foundation1732700000000 implements MigrationInterface {
  name = 'Foundation1732700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'units',
        columns: [id, str('code', 64), str('name', 100), str('kind', 20), int('parent_id', true), instant('created_at'), instant('updated_at')],
        indices: [new TableIndex({ name: 'ux_units_code', columnNames: ['code'], isUnique: true })],
        foreignKeys: [{ columnNames: ['parent_id'], referencedTableName: 'units', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'people',
        columns: [
          id,
          str('code', 64),
          str('name', 50),
          str('post', 100),
          str('nature', 20),
          int('unit_id'),
          int('city_managed', false, 0),
          str('wecom_user_id', 64, true),
          str('dingtalk_user_id', 64, true),
          str('joined_on', 10, true),
          str('left_on', 10, true),
          instant('created_at'),
          instant('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'ux_people_code', columnNames: ['code'], isUnique: true }),
          new TableIndex({ name: 'ux_people_wecom', columnNames: ['wecom_user_id'], isUnique: true }),
          new TableIndex({ name: 'ux_people_dingtalk', columnNames: ['dingtalk_user_id'], isUnique: true }),
          new TableIndex({ name: 'ix_people_name', columnNames: ['name'] }),
        ],
        foreignKeys: [{ columnNames: ['unit_id'], referencedTableName: 'units', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'role_assignments',
        columns: [id, int('person_id'), str('role', 40), int('unit_id'), instant('created_at')],
        indices: [
          new TableIndex({ name: 'ux_roles', columnNames: ['person_id', 'role', 'unit_id'], isUnique: true }),
          new TableIndex({ name: 'ix_roles_unit', columnNames: ['unit_id', 'role'] }),
        ],
        foreignKeys: [
          { columnNames: ['person_id'], referencedTableName: 'people', referencedColumnNames: ['id'] },
          { columnNames: ['unit_id'], referencedTableName: 'units', referencedColumnNames: ['id'] },
        ],
      }),
    );
    // Inbound events are written here before the platform gets its acknowledgement: the unique key
    // is the cross-instance dedupe, and a crash after the ack loses nothing.
    await q.createTable(
      new Table({
        name: 'inbox',
        columns: [
          id,
          str('channel', 20),
          str('dedupe_key', 191),
          str('user_key', 100),
          text('payload'),
          str('status', 12),
          int('attempts', false, 0),
          str('claimed_by', 64, true),
          instant('claimed_at', true),
          instant('received_at'),
          instant('handled_at', true),
          str('error', 500, true),
        ],
        indices: [
          new TableIndex({ name: 'ux_inbox_dedupe', columnNames: ['channel', 'dedupe_key'], isUnique: true }),
          new TableIndex({ name: 'ix_inbox_status', columnNames: ['status', 'id'] }),
          new TableIndex({ name: 'ix_inbox_user', columnNames: ['user_key', 'status', 'id'] }),
        ],
      }),
    );
    // Every notification goes through here, so a messenger outage delays it instead of losing it.
    await q.createTable(
      new Table({
        name: 'outbox',
        columns: [
          id,
          str('channel', 20),
          str('recipient', 100),
          text('payload'),
          str('status', 12),
          int('attempts', false, 0),
          instant('next_attempt_at'),
          str('claimed_by', 64, true),
          instant('claimed_at', true),
          instant('created_at'),
          instant('sent_at', true),
          str('error', 500, true),
        ],
        indices: [
          new TableIndex({ name: 'ix_outbox_due', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_outbox_recipient', columnNames: ['channel', 'recipient', 'status', 'id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'scheduled_jobs',
        columns: [
          id,
          str('kind', 50),
          str('unique_key', 191),
          text('payload'),
          instant('run_at'),
          str('status', 12),
          int('attempts', false, 0),
          str('claimed_by', 64, true),
          instant('claimed_at', true),
          instant('finished_at', true),
          str('error', 500, true),
        ],
        indices: [
          new TableIndex({ name: 'ux_jobs_key', columnNames: ['unique_key'], isUnique: true }),
          new TableIndex({ name: 'ix_jobs_due', columnNames: ['status', 'run_at'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'audit_log',
        columns: [
          id,
          instant('at'),
          int('actor_id', true),
          str('channel', 20, true),
          str('action', 60),
          str('subject', 100),
          text('detail', true),
        ],
        indices: [new TableIndex({ name: 'ix_audit_subject', columnNames: ['subject', 'id'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['audit_log', 'scheduled_jobs', 'outbox', 'inbox', 'role_assignments', 'people', 'units']) {
      await q.dropTable(table);
    }
  }
}
