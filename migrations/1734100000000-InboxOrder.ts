import { TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The inbox keeps when the person sent each event (the platform's CreateTime / createAt, and its
 * message id to order events of the same instant), so that a person's events are applied in the
 * order they were sent and one that arrives after a later one is recognised. Payloads become
 * MEDIUMTEXT on MariaDB: a TEXT column (64 KB) refused long messages WeCom and DingTalk deliver.
 */
export class InboxOrder1734100000000 implements MigrationInterface {
  name = 'InboxOrder1734100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('inbox', new TableColumn({ name: 'order_key', type: 'varchar', length: '64', isNullable: true }));
    await q.createIndex('inbox', new TableIndex({ name: 'ix_inbox_user_order', columnNames: ['user_key', 'status', 'order_key'] }));
    if (q.connection.driver.options.type === 'mysql') {
      for (const table of ['inbox', 'outbox']) await q.query(`ALTER TABLE ${table} MODIFY payload MEDIUMTEXT NOT NULL`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.driver.options.type === 'mysql') {
      for (const table of ['inbox', 'outbox']) await q.query(`ALTER TABLE ${table} MODIFY payload TEXT NOT NULL`);
    }
    await q.dropIndex('inbox', 'ix_inbox_user_order');
    await q.dropColumn('inbox', 'order_key');
  }
}
