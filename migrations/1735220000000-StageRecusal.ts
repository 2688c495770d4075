import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * 回避: a stage the applicant would have held themself (their own unit's head) goes to someone
 * else, and says so on the receipt and the form; the sentence is kept with the stage as routed.
 */
export class StageRecusal1735220000000 implements MigrationInterface {
  name = 'StageRecusal1735220000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('case_stages', new TableColumn({ name: 'recusal', type: 'varchar', length: '200', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('case_stages', 'recusal');
  }
}
