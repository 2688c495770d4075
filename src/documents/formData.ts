import type { DataSource } from 'typeorm';
import { CaseRepository } from '../domain/workflow/caseRepository';
import type { CaseRecord, Decision, StageRecord, WorkflowDefinition } from '../domain/workflow/types';
import { RosterRepository } from '../roster/rosterRepository';
import type { Unit } from '../roster/types';

/**
 * Reading a case for a paper form: what 附件1 (容错免责审批表) and 附件2 (改革创新风险备案表) both
 * take from the case record, its stages and the roster. Each form's own module adds its fields.
 */

/** One filled row of the chain: who decided what and when. */
export interface StageOpinion {
  decision: Exclude<Decision, 'return'>;
  opinion: string;
  /** The person who decided (the signature on paper). */
  signer: string;
  /** ISO instant of the decision. */
  decidedAt: string;
}

/** A 退回补充 round: the question of the stage that returned the case and the applicant's answer. */
export interface ReturnRound {
  stageTitle: string;
  by: string;
  at: string;
  question: string;
  answer: string | null;
  answeredAt: string | null;
  attachments: number;
}

/** A person's name by id, looked up once per document (or per ledger) however often it is asked. */
export type NameOf = (personId: number | null | undefined) => Promise<string>;

export const asString = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
export const asIndexes = (v: unknown): number[] => (Array.isArray(v) ? v.map(Number).filter((n) => Number.isInteger(n) && n >= 0) : []);
export const countOf = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

/** The unit's name with its parents below the zone itself: 经济发展局综合科, 利港街道城建科. */
export function unitPath(units: Map<number, Unit>, unitId: number): string {
  const names: string[] = [];
  for (let u = units.get(unitId); u && names.length <= units.size; u = u.parentId === null ? undefined : units.get(u.parentId)) {
    if (u.parentId !== null || names.length === 0) names.unshift(u.name);
  }
  return names.join('');
}

/** The last decided (approve/reject) record of a stage: what its row of the form shows. */
export function decidedStage(stages: StageRecord[], key: string): StageRecord | undefined {
  return stages.filter((s) => s.stageKey === key && s.status === 'decided' && (s.decision === 'approve' || s.decision === 'reject')).at(-1);
}

/** The opinion row of a stage, or null while it has not been decided. */
export async function stageOpinion(stages: StageRecord[], key: string, nameOf: NameOf): Promise<StageOpinion | null> {
  const s = decidedStage(stages, key);
  if (!s) return null;
  return {
    decision: s.decision as StageOpinion['decision'],
    opinion: s.opinion ?? '',
    signer: await nameOf(s.decidedBy ?? s.assigneeId),
    decidedAt: s.decidedAt ?? s.openedAt,
  };
}

/** Every 退回补充 of the case, paired in order with the applicant's supplements (form.supplements). */
export async function returnRounds(c: CaseRecord, stages: StageRecord[], definition: WorkflowDefinition, nameOf: NameOf): Promise<ReturnRound[]> {
  const supplements = Array.isArray(c.form.supplements) ? (c.form.supplements as Record<string, unknown>[]) : [];
  const returned = stages.filter((s) => s.status === 'returned' && s.decision === 'return');
  const rounds: ReturnRound[] = [];
  for (const [i, s] of returned.entries()) {
    const answer = supplements[i];
    rounds.push({
      stageTitle: definition.stages.find((d) => d.key === s.stageKey)?.title ?? s.stageKey,
      by: await nameOf(s.decidedBy ?? s.assigneeId),
      at: s.decidedAt ?? s.openedAt,
      question: s.opinion ?? '',
      answer: answer ? asString(answer.text) : null,
      answeredAt: answer ? asString(answer.at) : null,
      attachments: answer ? countOf(answer.attachments) : 0,
    });
  }
  return rounds;
}

/** The repositories and caches a document reads through: one per document, or one for a whole ledger. */
export interface FormSource {
  cases: CaseRepository;
  roster: RosterRepository;
  units: Map<number, Unit>;
  nameOf: NameOf;
}

export async function formSource(db: DataSource): Promise<FormSource> {
  const cases = new CaseRepository(db);
  const roster = new RosterRepository(db);
  const units = new Map((await roster.units()).map((u) => [u.id, u]));
  const names = new Map<number, string>();
  const nameOf: NameOf = async (id) => {
    if (id === null || id === undefined) return '';
    if (!names.has(id)) names.set(id, (await roster.person(id))?.name ?? '');
    return names.get(id)!;
  };
  return { cases, roster, units, nameOf };
}
