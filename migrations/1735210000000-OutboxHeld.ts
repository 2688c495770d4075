import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Notifications held until a turn's answer is queued (status 'held', held_for the turn's event):
 * the person who acted reads "已记录您的意见" before what their decision brings them.
 */
export class OutboxHeld1735210000000 implements MigrationInterface {
  name = 'OutboxHeld1735210000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('outbox', new TableColumn({ name: 'held_for', type: 'varchar', length: '191', isNullable: true }));
    await q.createIndex('outbox', new TableIndex({ name: 'ix_outbox_held', columnNames: ['held_for'] }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('outbox', 'ix_outbox_held');
    await q.dropColumn('outbox', 'held_for');
  }
}
