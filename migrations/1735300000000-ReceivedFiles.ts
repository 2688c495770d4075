import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Files people send (证明材料, 补充材料, 会议纪要, 实施方案): one row per messenger media id, written
 * when the file arrives and completed by the fetch job once its bytes are in the file store. The
 * messenger's id is good for a few days only (WeCom: 3); `expires_at` is when it stops being.
 */
export class ReceivedFiles1735300000000 implements MigrationInterface {
  name = 'ReceivedFiles1735300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'received_files',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'media_kind', type: 'varchar', length: '8' },
          { name: 'media_id', type: 'varchar', length: '512' },
          { name: 'sender_id', type: 'integer' },
          { name: 'file_name', type: 'varchar', length: '255', isNullable: true },
          { name: 'content_type', type: 'varchar', length: '128', isNullable: true },
          { name: 'size_bytes', type: 'bigint', isNullable: true },
          { name: 'sha256', type: 'char', length: '64', isNullable: true },
          { name: 'storage_key', type: 'varchar', length: '255', isNullable: true },
          { name: 'status', type: 'varchar', length: '12' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'last_error', type: 'varchar', length: '500', isNullable: true },
          { name: 'received_at', type: 'varchar', length: '24' },
          { name: 'expires_at', type: 'varchar', length: '24' },
          { name: 'stored_at', type: 'varchar', length: '24', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'ux_received_files_media', columnNames: ['channel', 'media_id'], isUnique: true }),
          new TableIndex({ name: 'ix_received_files_sender', columnNames: ['sender_id', 'status'] }),
        ],
        foreignKeys: [{ columnNames: ['sender_id'], referencedTableName: 'people', referencedColumnNames: ['id'] }],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('received_files');
  }
}
