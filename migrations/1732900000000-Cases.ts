import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
const text = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
const int = (name: string, isNullable = false, def?: number): TableColumnOptions => ({ name, type: 'integer', isNullable, default: def });
const person = (column: string) => ({ columnNames: [column], referencedTableName: 'people', referencedColumnNames: ['id'] });

/**
 * Approval cases (容错免责 requests, 改革创新 filings) and what hangs on them: one row per stage
 * of the chain, follow-up tasks, and the accountability matters (问责事项) requests refer to.
 */
export class Cases1732900000000 implements MigrationInterface {
  name = 'Cases1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'accountability_matters',
        columns: [
          id,
          str('number', 20),
          int('subject_person_id', true),
          int('subject_unit_id', true),
          text('summary'),
          str('opened_on', 10),
          int('opened_by'),
          str('status', 12),
          str('draft_key', 64),
          str('created_at', 24),
        ],
        indices: [
          new TableIndex({ name: 'ux_matters_number', columnNames: ['number'], isUnique: true }),
          new TableIndex({ name: 'ux_matters_draft', columnNames: ['draft_key'], isUnique: true }),
          new TableIndex({ name: 'ix_matters_person', columnNames: ['subject_person_id', 'status'] }),
          new TableIndex({ name: 'ix_matters_unit', columnNames: ['subject_unit_id', 'status'] }),
        ],
        foreignKeys: [person('subject_person_id'), person('opened_by'), { columnNames: ['subject_unit_id'], referencedTableName: 'units', referencedColumnNames: ['id'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'cases',
        columns: [
          id,
          str('kind', 20),
          str('number', 20, true),
          str('draft_key', 64),
          int('applicant_id'),
          int('unit_id'),
          int('matter_id', true),
          int('integrated', false, 0),
          str('status', 12),
          text('form'),
          text('outcome', true),
          str('reported_on', 10, true),
          text('revocation', true),
          str('created_at', 24),
          str('updated_at', 24),
        ],
        indices: [
          new TableIndex({ name: 'ux_cases_number', columnNames: ['number'], isUnique: true }),
          new TableIndex({ name: 'ux_cases_draft', columnNames: ['draft_key'], isUnique: true }),
          new TableIndex({ name: 'ix_cases_applicant', columnNames: ['applicant_id', 'kind'] }),
          new TableIndex({ name: 'ix_cases_unit', columnNames: ['unit_id', 'kind', 'status'] }),
        ],
        foreignKeys: [
          person('applicant_id'),
          { columnNames: ['unit_id'], referencedTableName: 'units', referencedColumnNames: ['id'] },
          { columnNames: ['matter_id'], referencedTableName: 'accountability_matters', referencedColumnNames: ['id'] },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'case_stages',
        columns: [
          id,
          int('case_id'),
          int('seq'),
          str('stage_key', 40),
          int('assignee_id', true),
          str('status', 12),
          str('decision', 12, true),
          text('opinion', true),
          text('findings', true),
          int('decided_by', true),
          str('decided_at', 24, true),
          str('card_id', 64, true),
          str('opened_at', 24),
          str('reminded_at', 24, true),
        ],
        indices: [
          new TableIndex({ name: 'ux_stages_seq', columnNames: ['case_id', 'seq'], isUnique: true }),
          new TableIndex({ name: 'ix_stages_assignee', columnNames: ['assignee_id', 'status'] }),
          new TableIndex({ name: 'ix_stages_status', columnNames: ['status', 'opened_at'] }),
        ],
        foreignKeys: [
          { columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] },
          person('assignee_id'),
          person('decided_by'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'case_tasks',
        columns: [
          id,
          int('case_id'),
          str('kind', 30),
          str('title', 200),
          int('assignee_id', true),
          str('status', 12),
          str('due_on', 10, true),
          text('note', true),
          str('done_at', 24, true),
          int('done_by', true),
          str('created_at', 24),
        ],
        indices: [
          new TableIndex({ name: 'ux_tasks_kind', columnNames: ['case_id', 'kind'], isUnique: true }),
          new TableIndex({ name: 'ix_tasks_assignee', columnNames: ['assignee_id', 'status'] }),
        ],
        foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] }, person('assignee_id'), person('done_by')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['case_tasks', 'case_stages', 'cases', 'accountability_matters']) await q.dropTable(table);
  }
}
