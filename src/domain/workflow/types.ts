import type { CardField } from '../../channels/port';
import type { Role } from '../../roster/types';

export type CaseKind = 'tolerance' | 'filing';
export type CaseStatus = 'in_review' | 'returned' | 'blocked' | 'withdrawn' | 'granted' | 'rejected' | 'revoked';
export type StageStatus = 'pending' | 'blocked' | 'decided' | 'returned' | 'withdrawn';
export type Decision = 'approve' | 'reject' | 'return';

export interface CaseRecord {
  id: number;
  kind: CaseKind;
  number: string;
  applicantId: number;
  unitId: number;
  matterId: number | null;
  integrated: boolean;
  status: CaseStatus;
  form: Record<string, unknown>;
  outcome: Record<string, unknown> | null;
  reportedOn: string | null;
  revocation: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export interface StageRecord {
  id: number;
  caseId: number;
  seq: number;
  stageKey: string;
  assigneeId: number | null;
  status: StageStatus;
  decision: Decision | null;
  opinion: string | null;
  findings: Record<string, unknown> | null;
  decidedBy: number | null;
  decidedAt: string | null;
  cardId: string | null;
  openedAt: string;
  remindedAt: string | null;
}

export interface ReviewRecord {
  id: number;
  stageId: number;
  reviewerId: number;
  status: 'pending' | 'done';
  stance: string | null;
  opinion: string | null;
  requestedAt: string;
  decidedAt: string | null;
}

export interface TaskRecord {
  id: number;
  caseId: number;
  kind: string;
  title: string;
  assigneeId: number | null;
  status: 'open' | 'done';
  dueOn: string | null;
  note: string | null;
  doneAt: string | null;
  doneBy: number | null;
}

export interface StageDefinition {
  key: string;
  /** The row of the paper form this stage fills, e.g. 所在单位党组织意见. */
  title: string;
  /** Who decides, resolved from the roster by this role on the case's unit or its nearest ancestor. */
  role: Role;
  basis: string;
  when?: (c: CaseRecord) => boolean;
  /** The dialogue a decider goes through instead of the plain opinion, e.g. the 六看 investigation. */
  decisionDialogue?: string;
  /** The button that starts that dialogue. */
  decisionLabel?: string;
  /**
   * 集体会审: the decider first gathers opinions from participants they pick, then records the
   * joint opinion as this stage's decision.
   */
  jointReview?: boolean;
}

export interface TaskDefinition {
  kind: string;
  title: string;
  /** Who does it: a role resolved for the case's unit, or the applicant themself. */
  role: Role | 'applicant';
  /** Days after the grant by which it is due. */
  dueInDays?: number;
  /** Completing it records the date the case was 报备 to the city. */
  marksReported?: boolean;
  /** Due at the end of the case's own period (form.periodEnd) rather than after the grant. */
  dueAtPeriodEnd?: boolean;
  /** The dialogue that completes it, when a note is not enough (a result report has fields). */
  dialogue?: string;
  /** Answers that dialogue starts with, taken from the case (who a 约谈提醒 is with). */
  prefill?: (c: CaseRecord) => Record<string, unknown>;
}

export interface WorkflowDefinition {
  kind: CaseKind;
  /** 容错免责申请, 改革创新风险备案. */
  title: string;
  numberPrefix: string;
  stages: StageDefinition[];
  /** What approvers see of a case on their card. */
  summarize(c: CaseRecord, applicantName: string): CardField[];
  /** Follow-up work created when the case is granted. */
  onGranted: TaskDefinition[];
  /** Follow-up work that other tasks create when they are done (a 绩效评价 after a result report). */
  laterTasks?: TaskDefinition[];
}
