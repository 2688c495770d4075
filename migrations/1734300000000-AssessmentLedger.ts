import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';

const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
const text = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
const int = (name: string, isNullable = false, def?: number): TableColumnOptions => ({ name, type: 'integer', isNullable, default: def });
const person = (column: string) => ({ columnNames: [column], referencedTableName: 'people', referencedColumnNames: ['id'] });
const unit = (column: string) => ({ columnNames: [column], referencedTableName: 'units', referencedColumnNames: ['id'] });
const unique = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames, isUnique: true });
const index = (name: string, columnNames: string[]) => new TableIndex({ name, columnNames });

/**
 * The 考核 ledger (one row per person, unit and 条线 a year, as the offices' spreadsheets have
 * them), what 激励办法 makes of it once 党群工作部 confirms it, the 健康休养 taken, and the
 * 能上能下办法 side: triggers found in the ledger and adjustment cases with their stages.
 */
export class AssessmentLedger1734300000000 implements MigrationInterface {
  name = 'AssessmentLedger1734300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'assessment_people',
        columns: [
          id,
          int('year'),
          int('person_id'),
          // 优秀 / 称职 or 合格 / 基本称职 or 基本合格 / 不称职 or 不合格, as written for the person's 性质.
          str('grade', 10, true),
          // Vote shares as typed: "12/35" (votes of voters) or "34%"; compared as exact fractions.
          str('incompetent_share', 20, true),
          str('probation_result', 20, true),
          str('probation_against', 20, true),
          str('contract_result', 20, true),
          str('contract_against', 20, true),
          str('soe_contract_result', 10, true),
          int('promoted', false, 0),
          str('note', 200, true),
          str('created_at', 24),
          str('updated_at', 24),
        ],
        indices: [unique('ux_assessment_people_year', ['year', 'person_id']), index('ix_assessment_people_person', ['person_id', 'year'])],
        foreignKeys: [person('person_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'assessment_units',
        columns: [
          id,
          int('year'),
          int('unit_id'),
          str('category', 10, true),
          int('category_rank', true),
          str('city_grade', 10, true),
          int('town_rank', true),
          str('village_grade', 10, true),
          str('created_at', 24),
          str('updated_at', 24),
        ],
        indices: [unique('ux_assessment_units_year', ['year', 'unit_id'])],
        foreignKeys: [unit('unit_id')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'assessment_lines',
        columns: [id, int('year'), str('line', 50), int('unit_id'), int('line_rank'), str('created_at', 24), str('updated_at', 24)],
        indices: [unique('ux_assessment_lines_year', ['year', 'line', 'unit_id'])],
        foreignKeys: [unit('unit_id')],
      }),
    );
    // A list the bot proposed and 党群工作部 confirmed, as it stood when confirmed.
    await q.createTable(
      new Table({
        name: 'incentive_lists',
        columns: [id, str('kind', 20), int('year'), text('entries'), str('digest', 16), int('confirmed_by'), str('confirmed_at', 24)],
        indices: [unique('ux_incentive_lists_kind_year', ['kind', 'year'])],
        foreignKeys: [person('confirmed_by')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'health_retreats',
        columns: [
          id,
          str('draft_key', 64),
          int('person_id'),
          int('year'),
          // zone: the zone's own 健康休养; higher: a higher level's, which leaves the person off the zone's list.
          str('kind', 10),
          str('from_on', 10, true),
          str('to_on', 10, true),
          int('working_days', false, 0),
          int('recorded_by'),
          str('created_at', 24),
        ],
        indices: [unique('ux_health_retreats_draft', ['draft_key']), index('ix_health_retreats_year', ['year', 'person_id'])],
        foreignKeys: [person('person_id'), person('recorded_by')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'adjustment_triggers',
        columns: [
          id,
          int('year'),
          // 能上能下办法 第八条 item (1–9).
          int('item'),
          str('subject_key', 100),
          int('person_id', true),
          int('unit_id', true),
          text('facts'),
          // open → case_opened | dismissed; lapsed when a re-import no longer shows it.
          str('status', 12),
          int('case_id', true),
          int('handled_by', true),
          text('handled_note', true),
          str('notified_at', 24, true),
          str('created_at', 24),
          str('updated_at', 24),
        ],
        indices: [unique('ux_adjustment_triggers_key', ['year', 'item', 'subject_key']), index('ix_adjustment_triggers_status', ['status', 'notified_at'])],
        foreignKeys: [person('person_id'), unit('unit_id'), person('handled_by')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'adjustment_cases',
        columns: [
          id,
          str('number', 20),
          str('draft_key', 64),
          int('person_id'),
          int('unit_id'),
          // The article (and item) the case is opened under, e.g. 第八条（三） or 第九条（五）.
          int('article'),
          int('item', true),
          int('trigger_id', true),
          text('facts'),
          // 能上能下办法 第五条: health, accountability or discipline matters go under other rules.
          str('carve_out', 20, true),
          // 第十二条: inspection → proposal → decision → talk → done.
          str('stage', 12),
          // open | referred (第五条) | dropped (not adjusted) | closed.
          str('status', 12),
          str('way', 20, true),
          str('authority', 12, true),
          int('unsuitable', true),
          int('early_retirement', false, 0),
          str('effective_on', 10, true),
          str('influence_until', 10, true),
          int('opened_by'),
          str('opened_at', 24),
          str('updated_at', 24),
        ],
        indices: [
          unique('ux_adjustment_cases_number', ['number']),
          unique('ux_adjustment_cases_draft', ['draft_key']),
          index('ix_adjustment_cases_person', ['person_id']),
          index('ix_adjustment_cases_status', ['status', 'stage']),
        ],
        foreignKeys: [person('person_id'), unit('unit_id'), person('opened_by')],
      }),
    );
    // One row per stage done: who, when, and what they recorded (the seam the workflow machinery takes over).
    await q.createTable(
      new Table({
        name: 'adjustment_stages',
        columns: [id, int('case_id'), str('stage', 12), str('draft_key', 64), text('data'), int('done_by'), str('done_at', 24)],
        indices: [unique('ux_adjustment_stages_case', ['case_id', 'stage']), unique('ux_adjustment_stages_draft', ['draft_key'])],
        foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'adjustment_cases', referencedColumnNames: ['id'] }, person('done_by')],
      }),
    );
    // An adjusted cadre's talks (第十四条) now come from a decided case; ends_on is when the talks end.
    await q.addColumn('cadre_adjustments', new TableColumn({ name: 'case_id', type: 'integer', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('cadre_adjustments', 'case_id');
    for (const table of ['adjustment_stages', 'adjustment_cases', 'adjustment_triggers', 'health_retreats', 'incentive_lists', 'assessment_lines', 'assessment_units', 'assessment_people']) {
      await q.dropTable(table);
    }
  }
}
