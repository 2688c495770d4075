import { zoneDate } from '../../clock';
import { selectOpened } from '../../storage/confidential';
import { fieldCipherOf } from '../../storage/fieldCipher';
import { execute, insert, select, update, type Executor } from '../../storage/sql';
import { nextNumber, type Register } from '../numbering';
import type { ReplyRecord } from './record';
import type { CaseKind, CaseRecord, CaseStatus, ReviewRecord, StageRecord, TaskRecord } from './types';

interface CaseRow {
  id: number; kind: CaseKind; number: string; applicant_id: number; unit_id: number; matter_id: number | null;
  integrated: number; path: string; status: CaseStatus; form: string; outcome: string | null; reported_on: string | null;
  revocation: string | null; created_at: string; updated_at: string;
}
interface StageRow {
  id: number; case_id: number; seq: number; stage_key: string; assignee_id: number | null; status: StageRecord['status'];
  decision: StageRecord['decision']; opinion: string | null; findings: string | null; decided_by: number | null;
  decided_at: string | null; card_id: string | null; opened_at: string; reminded_at: string | null; recusal: string | null;
}
interface ReviewRow {
  id: number; stage_id: number; reviewer_id: number; status: ReviewRecord['status']; stance: string | null;
  opinion: string | null; requested_at: string; decided_at: string | null;
}
interface ReplyRow {
  id: number; case_id: number; number: string; title: string; issuer: ReplyRecord['issuer']; issued_on: string; verdict: string;
  outcomes: string; note: string | null; approver_id: number | null; recipients: string; created_at: string;
}
interface TaskRow {
  id: number; case_id: number; kind: string; title: string; assignee_id: number | null; status: TaskRecord['status'];
  due_on: string | null; note: string | null; done_at: string | null; done_by: number | null;
}

const json = <T>(raw: string | null): T | null => (raw === null ? null : (JSON.parse(raw) as T));
const num = (v: number | null): number | null => (v === null ? null : Number(v));

const toCase = (r: CaseRow): CaseRecord => ({
  id: Number(r.id), kind: r.kind, number: r.number, applicantId: Number(r.applicant_id), unitId: Number(r.unit_id),
  matterId: num(r.matter_id), integrated: Number(r.integrated) === 1, path: r.path, status: r.status, form: json(r.form) ?? {},
  outcome: json(r.outcome), reportedOn: r.reported_on, revocation: json(r.revocation), createdAt: r.created_at, updatedAt: r.updated_at,
});
const toStage = (r: StageRow): StageRecord => ({
  id: Number(r.id), caseId: Number(r.case_id), seq: Number(r.seq), stageKey: r.stage_key, assigneeId: num(r.assignee_id),
  status: r.status, decision: r.decision, opinion: r.opinion, entry: json(r.findings), decidedBy: num(r.decided_by),
  decidedAt: r.decided_at, cardId: r.card_id, openedAt: r.opened_at, remindedAt: r.reminded_at, recusal: r.recusal ?? null,
});
const toReview = (r: ReviewRow): ReviewRecord => ({
  id: Number(r.id), stageId: Number(r.stage_id), reviewerId: Number(r.reviewer_id), status: r.status, stance: r.stance,
  opinion: r.opinion, requestedAt: r.requested_at, decidedAt: r.decided_at,
});
const toReply = (r: ReplyRow): ReplyRecord => ({
  id: Number(r.id), caseId: Number(r.case_id), number: r.number, title: r.title, issuer: r.issuer, issuedOn: r.issued_on, verdict: r.verdict,
  outcomes: json<number[]>(r.outcomes) ?? [], note: r.note, approverId: num(r.approver_id), recipientIds: json<number[]>(r.recipients) ?? [], createdAt: r.created_at,
});
const toTask = (r: TaskRow): TaskRecord => ({
  id: Number(r.id), caseId: Number(r.case_id), kind: r.kind, title: r.title, assigneeId: num(r.assignee_id), status: r.status,
  dueOn: r.due_on, note: r.note, doneAt: r.done_at, doneBy: num(r.done_by),
});

/** Cases, their stages and tasks as plain records. Writes take the caller's transaction. */
export class CaseRepository {
  constructor(private readonly db: Executor) {}

  async create(
    ex: Executor,
    c: {
      kind: CaseKind; numberPrefix: Register; draftKey: string; applicantId: number; unitId: number; matterId: number | null; integrated: boolean;
      path: string; form: Record<string, unknown>; now: string;
    },
  ): Promise<CaseRecord> {
    await insert(ex, 'cases', {
      kind: c.kind, number: null, draft_key: c.draftKey, applicant_id: c.applicantId, unit_id: c.unitId, matter_id: c.matterId,
      integrated: c.integrated ? 1 : 0, path: c.path, status: 'in_review', form: JSON.stringify(c.form), created_at: c.now, updated_at: c.now,
    });
    const [row] = await select<{ id: number }>(ex, 'SELECT id FROM cases WHERE draft_key = ?', [c.draftKey]);
    const number = await nextNumber(ex, c.numberPrefix, zoneDate(new Date(c.now)).slice(0, 4));
    await update(ex, 'cases', { number }, 'id = ?', [row.id]);
    return (await this.get(Number(row.id), ex))!;
  }

  async get(id: number, ex: Executor = this.db): Promise<CaseRecord | undefined> {
    const [row] = await selectOpened<CaseRow>(ex, 'cases', 'SELECT * FROM cases WHERE id = ?', [id]);
    return row && toCase(row);
  }

  async byDraft(draftKey: string): Promise<CaseRecord | undefined> {
    const [row] = await selectOpened<CaseRow>(this.db, 'cases', 'SELECT * FROM cases WHERE draft_key = ?', [draftKey]);
    return row && toCase(row);
  }

  async byNumber(number: string): Promise<CaseRecord | undefined> {
    const [row] = await selectOpened<CaseRow>(this.db, 'cases', 'SELECT * FROM cases WHERE number = ?', [number.toUpperCase()]);
    return row && toCase(row);
  }

  async byApplicant(applicantId: number): Promise<CaseRecord[]> {
    return (await selectOpened<CaseRow>(this.db, 'cases', 'SELECT * FROM cases WHERE applicant_id = ? ORDER BY id', [applicantId])).map(toCase);
  }

  async list(filter: { kind?: CaseKind } = {}): Promise<CaseRecord[]> {
    const rows = filter.kind
      ? await selectOpened<CaseRow>(this.db, 'cases', 'SELECT * FROM cases WHERE kind = ? ORDER BY id', [filter.kind])
      : await selectOpened<CaseRow>(this.db, 'cases', 'SELECT * FROM cases ORDER BY id');
    return rows.map(toCase);
  }

  /** Moves the case from one status to another; false when it was no longer in `from`. */
  async transition(ex: Executor, id: number, from: CaseStatus[], to: CaseStatus, now: string, extra: Record<string, unknown> = {}): Promise<boolean> {
    const changed = await update(ex, 'cases', { status: to, updated_at: now, ...extra }, `id = ? AND status IN (${from.map(() => '?').join(', ')})`, [id, ...from]);
    return changed === 1;
  }

  async setFields(ex: Executor, id: number, fields: Record<string, unknown>): Promise<void> {
    await update(ex, 'cases', fields, 'id = ?', [id]);
  }

  async stages(caseId: number, ex: Executor = this.db): Promise<StageRecord[]> {
    return (await selectOpened<StageRow>(ex, 'case_stages', 'SELECT * FROM case_stages WHERE case_id = ? ORDER BY seq', [caseId])).map(toStage);
  }

  async stage(id: number, ex: Executor = this.db): Promise<StageRecord | undefined> {
    const [row] = await selectOpened<StageRow>(ex, 'case_stages', 'SELECT * FROM case_stages WHERE id = ?', [id]);
    return row && toStage(row);
  }

  async openStage(
    ex: Executor,
    s: { caseId: number; seq: number; stageKey: string; assigneeId: number | null; status: 'pending' | 'blocked'; now: string; recusal?: string },
  ): Promise<StageRecord> {
    await insert(ex, 'case_stages', {
      case_id: s.caseId, seq: s.seq, stage_key: s.stageKey, assignee_id: s.assigneeId, status: s.status, opened_at: s.now, recusal: s.recusal ?? null,
    });
    const [row] = await selectOpened<StageRow>(ex, 'case_stages', 'SELECT * FROM case_stages WHERE case_id = ? AND seq = ?', [s.caseId, s.seq]);
    return toStage(row);
  }

  /** Records a stage's outcome only if it is still open: the guard against double clicks and races. */
  async closeStage(ex: Executor, id: number, from: StageRecord['status'][], fields: Record<string, unknown>): Promise<boolean> {
    return (await update(ex, 'case_stages', fields, `id = ? AND status IN (${from.map(() => '?').join(', ')})`, [id, ...from])) === 1;
  }

  async setStage(ex: Executor, id: number, fields: Record<string, unknown>): Promise<void> {
    await update(ex, 'case_stages', fields, 'id = ?', [id]);
  }

  async pendingStagesOf(assigneeId: number): Promise<StageRecord[]> {
    return (await selectOpened<StageRow>(this.db, 'case_stages', `SELECT * FROM case_stages WHERE assignee_id = ? AND status = 'pending' ORDER BY id`, [assigneeId])).map(toStage);
  }

  async pendingStagesOpenedBefore(iso: string): Promise<StageRecord[]> {
    return (await selectOpened<StageRow>(this.db, 'case_stages', `SELECT * FROM case_stages WHERE status = 'pending' AND opened_at < ? ORDER BY id`, [iso])).map(toStage);
  }

  async addReviews(ex: Executor, stageId: number, reviewerIds: number[], now: string): Promise<ReviewRecord[]> {
    await insert(ex, 'case_reviews', reviewerIds.map((id) => ({ stage_id: stageId, reviewer_id: id, status: 'pending', requested_at: now })));
    return this.reviews(stageId, ex);
  }

  async reviews(stageId: number, ex: Executor = this.db): Promise<ReviewRecord[]> {
    return (await selectOpened<ReviewRow>(ex, 'case_reviews', 'SELECT * FROM case_reviews WHERE stage_id = ? ORDER BY id', [stageId])).map(toReview);
  }

  async review(id: number, ex: Executor = this.db): Promise<ReviewRecord | undefined> {
    const [row] = await selectOpened<ReviewRow>(ex, 'case_reviews', 'SELECT * FROM case_reviews WHERE id = ?', [id]);
    return row && toReview(row);
  }

  /** Records a participant's opinion once: false when it was already given. */
  async closeReview(ex: Executor, id: number, stance: string, opinion: string, now: string): Promise<boolean> {
    return (await execute(ex, `UPDATE case_reviews SET status = 'done', stance = ?, opinion = ?, decided_at = ? WHERE id = ? AND status = 'pending'`, [
      stance, fieldCipherOf(ex).seal(opinion, 'case_reviews.opinion'), now, id,
    ])) === 1;
  }

  async addTask(ex: Executor, t: { caseId: number; kind: string; title: string; assigneeId: number | null; dueOn: string | null; now: string }): Promise<void> {
    await insert(ex, 'case_tasks', {
      case_id: t.caseId, kind: t.kind, title: t.title, assignee_id: t.assigneeId, status: 'open', due_on: t.dueOn, created_at: t.now,
    });
  }

  async tasks(caseId: number, ex: Executor = this.db): Promise<TaskRecord[]> {
    return (await select<TaskRow>(ex, 'SELECT * FROM case_tasks WHERE case_id = ? ORDER BY id', [caseId])).map(toTask);
  }

  async task(id: number): Promise<TaskRecord | undefined> {
    const [row] = await select<TaskRow>(this.db, 'SELECT * FROM case_tasks WHERE id = ?', [id]);
    return row && toTask(row);
  }

  async openTasksOf(assigneeId: number): Promise<TaskRecord[]> {
    return (await select<TaskRow>(this.db, `SELECT * FROM case_tasks WHERE assignee_id = ? AND status = 'open' ORDER BY id`, [assigneeId])).map(toTask);
  }

  async completeTask(ex: Executor, id: number, fields: { note: string; doneAt: string; doneBy: number }): Promise<boolean> {
    return (await execute(ex, `UPDATE case_tasks SET status = 'done', note = ?, done_at = ?, done_by = ? WHERE id = ? AND status = 'open'`, [
      fields.note, fields.doneAt, fields.doneBy, id,
    ])) === 1;
  }

  /** Closes a case's open tasks that no longer apply (an exemption revoked), saying why. */
  async cancelOpenTasks(ex: Executor, caseId: number, note: string, now: string): Promise<TaskRecord[]> {
    const open = (await this.tasks(caseId, ex)).filter((t) => t.status === 'open');
    await execute(ex, `UPDATE case_tasks SET status = 'cancelled', note = ?, done_at = ? WHERE case_id = ? AND status = 'open'`, [note, now, caseId]);
    return open;
  }

  /** Records a case's 批复 / 回复 once; its number is derived from the row id, like a case's. */
  async addReply(ex: Executor, r: Omit<ReplyRecord, 'id' | 'number'> & { numberPrefix: Register; number?: string }): Promise<ReplyRecord> {
    await insert(ex, 'case_replies', {
      case_id: r.caseId, number: `pending-${r.caseId}`, title: r.title, issuer: r.issuer, issued_on: r.issuedOn, verdict: r.verdict,
      outcomes: JSON.stringify(r.outcomes), note: r.note, approver_id: r.approverId, recipients: JSON.stringify(r.recipientIds), created_at: r.createdAt,
    });
    const [row] = await select<{ id: number }>(ex, 'SELECT id FROM case_replies WHERE case_id = ?', [r.caseId]);
    const number = r.number ?? (await nextNumber(ex, r.numberPrefix, r.issuedOn.slice(0, 4)));
    await update(ex, 'case_replies', { number }, 'id = ?', [row.id]);
    return (await this.reply(r.caseId, ex))!;
  }

  async reply(caseId: number, ex: Executor = this.db): Promise<ReplyRecord | undefined> {
    const [row] = await select<ReplyRow>(ex, 'SELECT * FROM case_replies WHERE case_id = ?', [caseId]);
    return row && toReply(row);
  }
}
