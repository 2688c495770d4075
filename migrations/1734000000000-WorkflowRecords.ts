import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Stage kinds (《容错细则》第六条 issue 12): a case takes a path chosen at intake (cases.path), each
 * stage records a typed entry (case_stages.findings), a concluded case its conclusion
 * (cases.outcome), and its 批复 / 回复 is a record of its own (case_replies).
 *
 * Cases written before keep their stage keys (unit, discipline, committee, zone, supervisor,
 * review: the new definitions use the same ones), so cases in flight carry on where they are;
 * what changes is the JSON, converted here in place so the code reads one shape only:
 *  - an opinion row (unit, supervisor) → { kind: 'opinion', stance, opinion }
 *  - 基层党委 / 开发区党工委 (committee, zone) → { kind: 'approval', stance, opinion }
 *  - the 容错 纪（工）委 row with its 六看 → { kind: 'finding', verdict, criteria, outcomes }
 *  - the 备案 纪（工）委 row (then a plain opinion) → { kind: 'finding', verdict } (同意 → 同意备案)
 *  - the 会审 row with its participants → { kind: 'jointReview', stance, opinion, reviews }
 *  - a 退回补充 → { kind: 'return', question }
 *  - cases.outcome { exemptions } → { verdict, outcomes, by: 'zone', decidedAt }; a filing's
 *    绩效评价 moves from outcome to form.evaluation
 *  - cases.revocation gains ground, previousStatus ('granted', the only state it could be revoked
 *    from) and matterId.
 * The conversion does not import the application: it must mean the same whatever the code becomes.
 */

const SIX_LOOKS: Record<string, string> = {
  看问题性质: 'nature', 看工作依据: 'basis', 看主观动机: 'motive', 看决策过程: 'process', 看履职取向: 'orientation', 看纠错态度: 'attitude',
};
const NUMERALS = ['一', '二', '三', '四'];

type Json = Record<string, unknown>;
interface StageRow { id: number; kind: string; stage_key: string; decision: string; opinion: string | null; findings: string | null }
interface CaseRow { id: number; kind: string; status: string; matter_id: number | null; form: string; outcome: string | null; revocation: string | null; updated_at: string }

const parse = (raw: string | null): Json | null => (raw === null ? null : (JSON.parse(raw) as Json));
const stance = (decision: string) => (decision === 'approve' ? 'agree' : 'disagree');

function newEntry(s: StageRow): Json {
  const opinion = s.opinion ?? '';
  if (s.decision === 'return') return { kind: 'return', question: opinion };
  const old = parse(s.findings) ?? {};
  if (s.kind === 'tolerance' && s.stage_key === 'discipline') {
    const looks = (old.sixLooks as Record<string, unknown> | undefined) ?? {};
    const refused = old.conclusion === '不予容错免责' || s.decision === 'reject';
    return {
      kind: 'finding',
      verdict: refused ? 'refuse' : 'grant',
      opinion,
      criteria: Object.entries(looks).map(([title, finding]) => ({ key: SIX_LOOKS[title] ?? title, title, finding: String(finding) })),
      outcomes: refused ? [] : (((old.outcome as Json | null)?.exemptions as number[] | undefined) ?? []),
    };
  }
  if (s.kind === 'filing' && s.stage_key === 'discipline') {
    return { kind: 'finding', verdict: s.decision === 'approve' ? 'grant' : 'refuse', opinion, criteria: [], outcomes: [] };
  }
  if (s.kind === 'filing' && s.stage_key === 'review') return { kind: 'jointReview', stance: stance(s.decision), opinion, reviews: old.reviews ?? [] };
  if (s.stage_key === 'committee' || s.stage_key === 'zone') return { kind: 'approval', stance: stance(s.decision), opinion };
  return { kind: 'opinion', stance: stance(s.decision), opinion };
}

function oldFindings(s: StageRow): Json | null {
  const entry = parse(s.findings);
  if (!entry) return null;
  if (entry.kind === 'finding' && s.kind === 'tolerance') {
    const criteria = (entry.criteria as { title: string; finding: string }[]) ?? [];
    const granted = entry.verdict !== 'refuse';
    return {
      sixLooks: Object.fromEntries(criteria.map((c) => [c.title, c.finding])),
      conclusion: granted ? '予以容错免责' : '不予容错免责',
      outcome: granted ? { exemptions: entry.outcomes } : null,
    };
  }
  if (entry.kind === 'jointReview') return { reviews: entry.reviews };
  return null;
}

export class WorkflowRecords1734000000000 implements MigrationInterface {
  name = 'WorkflowRecords1734000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('cases', new TableColumn({ name: 'path', type: 'varchar', length: '20', default: "'ordinary'" }));
    await q.query(`UPDATE cases SET path = 'integrated' WHERE integrated = 1`);
    await q.createTable(
      new Table({
        name: 'case_replies',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'case_id', type: 'integer' },
          { name: 'number', type: 'varchar', length: '40' },
          { name: 'title', type: 'varchar', length: '12' },
          { name: 'issuer', type: 'varchar', length: '8' },
          { name: 'issued_on', type: 'varchar', length: '10' },
          { name: 'verdict', type: 'varchar', length: '20' },
          { name: 'outcomes', type: 'text' },
          { name: 'note', type: 'text', isNullable: true },
          { name: 'approver_id', type: 'integer', isNullable: true },
          { name: 'recipients', type: 'text' },
          { name: 'created_at', type: 'varchar', length: '24' },
        ],
        indices: [new TableIndex({ name: 'ux_replies_case', columnNames: ['case_id'], isUnique: true })],
        foreignKeys: [
          { columnNames: ['case_id'], referencedTableName: 'cases', referencedColumnNames: ['id'] },
          { columnNames: ['approver_id'], referencedTableName: 'people', referencedColumnNames: ['id'] },
        ],
      }),
    );

    const stages = (await q.query(
      `SELECT s.id, c.kind, s.stage_key, s.decision, s.opinion, s.findings FROM case_stages s JOIN cases c ON c.id = s.case_id WHERE s.decision IS NOT NULL`,
    )) as StageRow[];
    for (const s of stages) await q.query('UPDATE case_stages SET findings = ? WHERE id = ?', [JSON.stringify(newEntry(s)), s.id]);

    for (const c of (await q.query('SELECT id, kind, status, matter_id, form, outcome, revocation, updated_at FROM cases')) as CaseRow[]) {
      const outcome = parse(c.outcome);
      const form = parse(c.form) ?? {};
      const concluded = ['granted', 'rejected', 'revoked'].includes(c.status);
      const set: Json = {};
      if (concluded) {
        const verdict = c.status === 'rejected' ? 'refuse' : 'grant';
        const outcomes = verdict === 'grant' ? ((outcome?.exemptions as number[] | undefined) ?? []) : [];
        set.outcome = JSON.stringify({ verdict, outcomes, by: 'zone', decidedAt: c.updated_at });
      }
      if (outcome?.evaluation) set.form = JSON.stringify({ ...form, evaluation: outcome.evaluation });
      const revocation = parse(c.revocation);
      if (revocation) {
        const ground = NUMERALS.findIndex((n) => String(revocation.reason).startsWith(`第十条（${n}）`));
        set.revocation = JSON.stringify({ ...revocation, ground: Math.max(0, ground), previousStatus: 'granted', matterId: c.matter_id === null ? null : Number(c.matter_id) });
      }
      const columns = Object.keys(set);
      if (columns.length > 0) await q.query(`UPDATE cases SET ${columns.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`, [...columns.map((k) => set[k]), c.id]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const stages = (await q.query(
      `SELECT s.id, c.kind, s.stage_key, s.decision, s.opinion, s.findings FROM case_stages s JOIN cases c ON c.id = s.case_id WHERE s.findings IS NOT NULL`,
    )) as StageRow[];
    for (const s of stages) {
      const old = oldFindings(s);
      await q.query('UPDATE case_stages SET findings = ? WHERE id = ?', [old === null ? null : JSON.stringify(old), s.id]);
    }
    for (const c of (await q.query('SELECT id, kind, status, matter_id, form, outcome, revocation, updated_at FROM cases')) as CaseRow[]) {
      const outcome = parse(c.outcome);
      const form = parse(c.form) ?? {};
      const evaluation = form.evaluation;
      const back = c.kind === 'filing' ? (evaluation ? { evaluation } : null) : outcome && outcome.verdict !== 'refuse' ? { exemptions: outcome.outcomes } : null;
      await q.query('UPDATE cases SET outcome = ? WHERE id = ?', [back === null ? null : JSON.stringify(back), c.id]);
    }
    await q.dropTable('case_replies');
    // Plain SQL: TypeORM drops an SQLite column by rebuilding the table, which the foreign keys
    // of case_stages and case_tasks refuse inside the migration's transaction.
    await q.query('ALTER TABLE cases DROP COLUMN path');
  }
}
