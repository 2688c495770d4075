import { Table, TableIndex, type MigrationInterface, type QueryRunner, type TableColumnOptions } from 'typeorm';
import { fieldCipherOf } from '../src/storage/fieldCipher';

/**
 * 组织调整 (《能上能下办法》第十二条) run on the workflow: each adjustment_cases row becomes a case of
 * kind `adjustment` (its TZ number kept) and each adjustment_stages row a decided case_stages row
 * with the typed entry the workflow reads; a case in progress gets its waiting stage, assigned to
 * the 组织人事部门 of the cadre's unit (the nearest up the chain who is not the cadre), as the
 * workflow would route it. What pointed at the old case ids — the trigger it was opened from, the
 * 第十四条 talks (cadre_adjustments) and the scheduled 第十五条 notice — points at the new ones.
 * Then the two tables go.
 *
 * cases.form and case_stages' opinion and findings are confidential columns: they are written here
 * in plaintext, like every value from before encryption, and sealed by the first start after the
 * migration (or `npm run data:rekey`); a migration does not hold the keys (down() opens what was
 * sealed since with the connection's, as ConfidentialColumns1735600000000 does). The conversion
 * imports nothing else from the application, so it means the same whatever the code becomes.
 */

type Row = Record<string, unknown>;
interface OldCase {
  id: number; number: string; draft_key: string; person_id: number; unit_id: number; article: number; item: number | null; trigger_id: number | null;
  facts: string; carve_out: string | null; stage: string; status: string; way: string | null; authority: string | null; unsuitable: number | null;
  early_retirement: number; effective_on: string | null; influence_until: string | null; opened_by: number; opened_at: string; updated_at: string;
}
interface OldStage { id: number; case_id: number; stage: string; draft_key: string; data: string; done_by: number; done_at: string }
interface NewCase { id: number; number: string; applicant_id: number; unit_id: number; status: string; form: string; outcome: string | null; created_at: string; updated_at: string }
interface NewStage { stage_key: string; findings: string; decided_by: number; decided_at: string }

const AUTHORITY: Record<string, string> = { suggest: '建议上级调整', adjust: '予以调整' };
const AUTHORITY_KEY: Record<string, string> = { 建议上级调整: 'suggest', 予以调整: 'adjust' };
/** A confidential value as written: sealed ones (after the start that followed up()) open with the connection's keys. */
const opened = (q: QueryRunner, value: string, column: string): string => (value.startsWith('enc:') ? fieldCipherOf(q.connection).open(value, column) : value);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** An old stage's data as the workflow's entry, with the verdict it reached (for the case's outcome). */
function entryOf(stage: string, d: Row): Row {
  switch (stage) {
    case 'inspection': {
      const verdict = d.finding === 'carve-out' ? String(d.carveOut) : d.finding === 'unfounded' ? 'unfounded' : 'confirmed';
      return { kind: 'finding', verdict, opinion: String(d.summary ?? ''), criteria: [], outcomes: [] };
    }
    case 'proposal':
      return { kind: 'record', opinion: String(d.opinion ?? ''), details: [{ key: 'authority', label: '管理权限', value: AUTHORITY[String(d.authority)] ?? '' }, { key: 'way', label: '调整方式', value: String(d.way ?? '') }] };
    case 'decision': {
      const adjust = d.outcome === 'adjust';
      const opinion = adjust
        ? `${String(d.way)}，${String(d.effectiveOn)} 生效（${String(d.decidedBy)}）；${d.unsuitable ? '因不适宜担任现职' : '非因不适宜担任现职'}${d.earlyRetirement ? '；本人因个人原因（非身体原因）申请提前退休' : ''}`
        : `不予调整（${String(d.decidedBy)}）`;
      return { kind: 'finding', verdict: adjust ? 'adjust' : 'none', opinion, criteria: [], outcomes: [] };
    }
    default:
      return { kind: 'record', opinion: String(d.summary ?? ''), details: [{ key: 'talkedOn', label: '谈话日期', value: String(d.talkedOn ?? '') }, { key: 'talker', label: '谈话人', value: String(d.talkerName ?? '') }] };
  }
}

/** The verdicts that do not move the case on: what the old `stage`/`status` called done. */
const AGAINST = ['unfounded', 'none', 'health', 'accountability', 'discipline'];

/** The 组织人事部门 the workflow routes to: on the unit or its nearest ancestor, never the cadre. */
async function personnelOfficer(q: QueryRunner, unitId: number, cadreId: number): Promise<number | null> {
  for (let unit: number | null = unitId, hops = 0; unit !== null && hops < 50; hops++) {
    const [holder] = (await q.query(
      `SELECT r.person_id AS id FROM role_assignments r JOIN people p ON p.id = r.person_id WHERE r.role = 'personnelOfficer' AND r.unit_id = ? AND r.person_id <> ? AND p.left_on IS NULL ORDER BY r.person_id LIMIT 1`,
      [unit, cadreId],
    )) as { id: number }[];
    if (holder) return Number(holder.id);
    const [u] = (await q.query('SELECT parent_id FROM units WHERE id = ?', [unit])) as { parent_id: number | null }[];
    unit = num(u?.parent_id);
  }
  return null;
}

/** Points what referred to old ids at new ones, through a temporary key so that no two rows share one on the way. */
async function remap(q: QueryRunner, ids: Map<number, number>): Promise<void> {
  for (const phase of ['tmp', 'final'] as const) {
    for (const [from, to] of ids) {
      const [src, dst] = phase === 'tmp' ? [String(from), `m${to}`] : [`m${to}`, String(to)];
      await q.query('UPDATE cadre_adjustments SET draft_key = ? WHERE draft_key = ?', [`case:${dst}`, `case:${src}`]);
      const jobs = (await q.query(`SELECT id, payload FROM scheduled_jobs WHERE unique_key = ?`, [`influence-ended:case:${src}`])) as { id: number; payload: string }[];
      for (const job of jobs) {
        const payload = { ...(JSON.parse(job.payload) as Row), caseId: phase === 'tmp' ? -to : to };
        await q.query('UPDATE scheduled_jobs SET unique_key = ?, payload = ? WHERE id = ?', [`influence-ended:case:${dst}`, JSON.stringify(payload), job.id]);
      }
    }
  }
  for (const column of ['adjustment_triggers.case_id', 'cadre_adjustments.case_id']) {
    const [table, field] = column.split('.');
    for (const [from, to] of ids) await q.query(`UPDATE ${table} SET ${field} = ? WHERE ${field} = ?`, [-to, from]);
    await q.query(`UPDATE ${table} SET ${field} = -${field} WHERE ${field} < 0`);
  }
}

/** Each register's counter at least its highest number (RegisterSequences1735200000000). */
async function raiseCounters(q: QueryRunner, numbers: string[]): Promise<void> {
  const highest = new Map<number, number>();
  for (const n of numbers) {
    const m = /^TZ(\d{4})-(\d+)$/.exec(n);
    if (m) highest.set(Number(m[1]), Math.max(highest.get(Number(m[1])) ?? 0, Number(m[2])));
  }
  for (const [year, value] of highest) {
    const [row] = (await q.query(`SELECT last_value FROM register_sequences WHERE register = 'TZ' AND year = ?`, [year])) as { last_value: number }[];
    if (!row) await q.query(`INSERT INTO register_sequences (register, year, last_value) VALUES ('TZ', ?, ?)`, [year, value]);
    else if (Number(row.last_value) < value) await q.query(`UPDATE register_sequences SET last_value = ? WHERE register = 'TZ' AND year = ?`, [value, year]);
  }
}

export class AdjustmentOntoWorkflow1735800000000 implements MigrationInterface {
  name = 'AdjustmentOntoWorkflow1735800000000';

  async up(q: QueryRunner): Promise<void> {
    const ids = new Map<number, number>();
    for (const c of (await q.query('SELECT * FROM adjustment_cases ORDER BY id')) as OldCase[]) {
      const stages = (await q.query('SELECT * FROM adjustment_stages WHERE case_id = ? ORDER BY id', [c.id])) as OldStage[];
      const data = new Map(stages.map((s) => [s.stage, JSON.parse(s.data) as Row]));
      const [cadre] = (await q.query('SELECT name, post FROM people WHERE id = ?', [c.person_id])) as { name: string; post: string }[];
      const [unit] = (await q.query('SELECT name FROM units WHERE id = ?', [c.unit_id])) as { name: string }[];
      const proposed = data.get('proposal');
      const decided = data.get('decision');
      const form: Row = {
        applicantName: cadre?.name ?? '', unitName: unit?.name ?? '', post: cadre?.post ?? '', article: Number(c.article), item: num(c.item), facts: c.facts,
        triggerId: num(c.trigger_id), openedBy: Number(c.opened_by), openedAt: c.opened_at,
        ...(proposed ? { proposal: { way: proposed.way, authority: proposed.authority } } : {}),
        ...(decided?.outcome === 'adjust'
          ? { decision: { way: decided.way, effectiveOn: decided.effectiveOn, decidedBy: decided.decidedBy, unsuitable: decided.unsuitable === true, earlyRetirement: decided.earlyRetirement === true, influenceUntil: c.influence_until } }
          : {}),
      };
      const entries = stages.map((s) => ({ s, entry: entryOf(s.stage, JSON.parse(s.data) as Row) }));
      const ended = c.status === 'referred' && c.carve_out && !entries.some((e) => AGAINST.includes(String(e.entry.verdict))) ? c.carve_out : undefined;
      const lastVerdict = [...entries.map((e) => e.entry.verdict), ended].filter(Boolean).at(-1);
      const status = c.status === 'open' ? 'in_review' : c.status === 'closed' ? 'granted' : 'rejected';
      const outcome = status === 'in_review' ? null : JSON.stringify({ verdict: status === 'granted' ? 'adjust' : String(lastVerdict ?? 'none'), outcomes: [], by: 'zone', decidedAt: c.updated_at });
      await q.query(
        `INSERT INTO cases (kind, number, draft_key, applicant_id, unit_id, matter_id, integrated, path, status, form, outcome, reported_on, revocation, created_at, updated_at)
         VALUES ('adjustment', ?, ?, ?, ?, NULL, 0, 'ordinary', ?, ?, ?, NULL, NULL, ?, ?)`,
        [c.number, c.draft_key, c.person_id, c.unit_id, status, JSON.stringify(form), outcome, c.opened_at, c.updated_at],
      );
      const [created] = (await q.query('SELECT id FROM cases WHERE number = ?', [c.number])) as { id: number }[];
      const caseId = Number(created.id);
      ids.set(Number(c.id), caseId);
      let openedAt = c.opened_at;
      for (const [i, { s, entry }] of entries.entries()) {
        const decision = entry.kind === 'record' || !AGAINST.includes(String(entry.verdict)) ? 'approve' : 'reject';
        await q.query(
          `INSERT INTO case_stages (case_id, seq, stage_key, assignee_id, status, decision, opinion, findings, decided_by, decided_at, card_id, opened_at, reminded_at, recusal)
           VALUES (?, ?, ?, ?, 'decided', ?, ?, ?, ?, ?, NULL, ?, NULL, NULL)`,
          [caseId, i + 1, s.stage, s.done_by, decision, String(entry.opinion), JSON.stringify(entry), s.done_by, s.done_at, openedAt],
        );
        openedAt = s.done_at;
      }
      if (status === 'in_review') {
        // No card of the workflow's was sent for it: 查看调整 gives its decider the card.
        const assignee = await personnelOfficer(q, Number(c.unit_id), Number(c.person_id));
        await q.query(
          `INSERT INTO case_stages (case_id, seq, stage_key, assignee_id, status, decision, opinion, findings, decided_by, decided_at, card_id, opened_at, reminded_at, recusal)
           VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, NULL, ?, NULL, NULL)`,
          [caseId, entries.length + 1, c.stage, assignee, assignee === null ? 'blocked' : 'pending', openedAt],
        );
        if (assignee === null) await q.query(`UPDATE cases SET status = 'blocked' WHERE id = ?`, [caseId]);
      }
    }
    await remap(q, ids);
    await raiseCounters(q, [...((await q.query('SELECT number FROM adjustment_cases')) as { number: string }[]).map((r) => r.number)]);
    await q.dropTable('adjustment_stages');
    await q.dropTable('adjustment_cases');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({ name: 'adjustment_cases', columns: CASE_COLUMNS, indices: CASE_INDICES, foreignKeys: [person('person_id'), unit('unit_id'), person('opened_by')] }));
    await q.createTable(
      new Table({
        name: 'adjustment_stages',
        columns: [id, int('case_id'), str('stage', 12), str('draft_key', 64), text('data'), int('done_by'), str('done_at', 24)],
        indices: [new TableIndex({ name: 'ux_adjustment_stages_case', columnNames: ['case_id', 'stage'], isUnique: true }), new TableIndex({ name: 'ux_adjustment_stages_draft', columnNames: ['draft_key'], isUnique: true })],
        foreignKeys: [{ columnNames: ['case_id'], referencedTableName: 'adjustment_cases', referencedColumnNames: ['id'] }, person('done_by')],
      }),
    );
    const ids = new Map<number, number>();
    for (const c of (await q.query(`SELECT * FROM cases WHERE kind = 'adjustment' ORDER BY id`)) as NewCase[]) {
      const form = JSON.parse(opened(q, c.form, 'cases.form')) as Row;
      const stages = (await q.query(`SELECT stage_key, findings, decided_by, decided_at FROM case_stages WHERE case_id = ? AND status = 'decided' ORDER BY seq`, [c.id])) as NewStage[];
      const open = ((await q.query(`SELECT stage_key FROM case_stages WHERE case_id = ? AND status IN ('pending', 'blocked')`, [c.id])) as { stage_key: string }[])[0];
      const verdict = c.outcome ? String((JSON.parse(c.outcome) as Row).verdict) : '';
      const carveOut = ['health', 'accountability', 'discipline'].includes(verdict) ? verdict : null;
      const p = form.proposal as Row | undefined;
      const d = form.decision as Row | undefined;
      const status = c.status === 'granted' ? 'closed' : c.status === 'rejected' ? (carveOut ? 'referred' : 'dropped') : 'open';
      await q.query(
        `INSERT INTO adjustment_cases (number, draft_key, person_id, unit_id, article, item, trigger_id, facts, carve_out, stage, status, way, authority, unsuitable, early_retirement, effective_on, influence_until, opened_by, opened_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          c.number, `case-${c.id}`, c.applicant_id, c.unit_id, form.article, form.item ?? null, form.triggerId ?? null, form.facts, carveOut, open?.stage_key ?? 'done', status,
          d?.way ?? p?.way ?? null, p?.authority ?? null, d ? (d.unsuitable ? 1 : 0) : null, d?.earlyRetirement ? 1 : 0, d?.effectiveOn ?? null, d?.influenceUntil ?? null,
          form.openedBy, form.openedAt ?? c.created_at, c.updated_at,
        ],
      );
      const oldId = Number(((await q.query('SELECT id FROM adjustment_cases WHERE number = ?', [c.number])) as { id: number }[])[0].id);
      ids.set(Number(c.id), oldId);
      for (const s of stages) {
        const e = JSON.parse(opened(q, s.findings, 'case_stages.findings')) as Row;
        const detail = (key: string) => ((e.details as Row[] | undefined) ?? []).find((x) => x.key === key)?.value;
        const data =
          s.stage_key === 'inspection'
            ? { finding: e.verdict === 'confirmed' ? 'confirmed' : e.verdict === 'unfounded' ? 'unfounded' : 'carve-out', ...(e.verdict === 'confirmed' || e.verdict === 'unfounded' ? {} : { carveOut: e.verdict }), summary: e.opinion }
            : s.stage_key === 'proposal'
              ? { way: detail('way'), authority: AUTHORITY_KEY[String(detail('authority'))], opinion: e.opinion }
              : s.stage_key === 'decision'
                ? e.verdict === 'adjust'
                  ? { outcome: 'adjust', way: d?.way, effectiveOn: d?.effectiveOn, decidedBy: d?.decidedBy, unsuitable: d?.unsuitable, earlyRetirement: d?.earlyRetirement }
                  : { outcome: 'none', decidedBy: String(e.opinion).replace(/^不予调整（(.*)）$/, '$1') }
                : { talkedOn: detail('talkedOn'), talkerId: null, talkerName: detail('talker'), summary: e.opinion };
        await q.query('INSERT INTO adjustment_stages (case_id, stage, draft_key, data, done_by, done_at) VALUES (?, ?, ?, ?, ?, ?)', [
          oldId, s.stage_key, `case-${c.id}-${s.stage_key}`, JSON.stringify(data), s.decided_by, s.decided_at,
        ]);
      }
    }
    await remap(q, ids);
    for (const caseId of ids.keys()) {
      await q.query('DELETE FROM case_stages WHERE case_id = ?', [caseId]);
      await q.query('DELETE FROM case_tasks WHERE case_id = ?', [caseId]);
      await q.query('DELETE FROM cases WHERE id = ?', [caseId]);
    }
  }
}

// The tables as 1734300000000 made them, for down().
const id: TableColumnOptions = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' };
const str = (name: string, length: number, isNullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable });
const text = (name: string, isNullable = false): TableColumnOptions => ({ name, type: 'text', isNullable });
const int = (name: string, isNullable = false, def?: number): TableColumnOptions => ({ name, type: 'integer', isNullable, default: def });
const person = (column: string) => ({ columnNames: [column], referencedTableName: 'people', referencedColumnNames: ['id'] });
const unit = (column: string) => ({ columnNames: [column], referencedTableName: 'units', referencedColumnNames: ['id'] });
const CASE_COLUMNS = [
  id, str('number', 20), str('draft_key', 64), int('person_id'), int('unit_id'), int('article'), int('item', true), int('trigger_id', true), text('facts'),
  str('carve_out', 20, true), str('stage', 12), str('status', 12), str('way', 20, true), str('authority', 12, true), int('unsuitable', true),
  int('early_retirement', false, 0), str('effective_on', 10, true), str('influence_until', 10, true), int('opened_by'), str('opened_at', 24), str('updated_at', 24),
];
const CASE_INDICES = [
  new TableIndex({ name: 'ux_adjustment_cases_number', columnNames: ['number'], isUnique: true }),
  new TableIndex({ name: 'ux_adjustment_cases_draft', columnNames: ['draft_key'], isUnique: true }),
  new TableIndex({ name: 'ix_adjustment_cases_person', columnNames: ['person_id'] }),
  new TableIndex({ name: 'ix_adjustment_cases_status', columnNames: ['status', 'stage'] }),
];
