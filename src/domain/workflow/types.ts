import type { CardField } from '../../channels/port';
import type { Role } from '../../roster/types';
import type { Register } from '../numbering';
import type { DeadlineKey } from './deadlines';
import type { CaseConclusion, Criterion, Revocation, Stance, StageEntry, Verdict } from './record';

export type CaseKind = 'tolerance' | 'filing' | 'clearance' | 'adjustment';
export type CaseStatus = 'in_review' | 'returned' | 'blocked' | 'withdrawn' | 'granted' | 'rejected' | 'revoked';
export type StageStatus = 'pending' | 'blocked' | 'decided' | 'returned' | 'withdrawn';
/** How a stage's entry reads at a glance: forward (同意, 予以), against (不同意, 不予), or 退回补充. */
export type Decision = 'approve' | 'reject' | 'return';

export interface CaseRecord {
  id: number;
  kind: CaseKind;
  number: string;
  applicantId: number;
  unitId: number;
  matterId: number | null;
  integrated: boolean;
  /** The key of the definition's path the case takes (chosen at intake). */
  path: string;
  status: CaseStatus;
  form: Record<string, unknown>;
  /** Set when the case is concluded (granted or rejected), kept when it is revoked. */
  outcome: CaseConclusion | null;
  reportedOn: string | null;
  revocation: Revocation | null;
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
  /** What the stage decided; null while it is open. */
  entry: StageEntry | null;
  decidedBy: number | null;
  decidedAt: string | null;
  cardId: string | null;
  openedAt: string;
  remindedAt: string | null;
  /** 回避: why the stage went to someone other than the applicant's own unit head. */
  recusal: string | null;
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
  status: 'open' | 'done' | 'cancelled';
  dueOn: string | null;
  note: string | null;
  doneAt: string | null;
  doneBy: number | null;
}

/**
 * The kinds of stage the policy uses. An opinion, a 集体会审 and a 签署 are recorded and the case
 * moves on; a finding concludes (予以 / 部分 / 不予); an approval agrees, or disagrees and sends the
 * case back to the finding; a 集体研究 records a meeting's 明确意见; a 呈报 records what was sent
 * to an outside body, and an answer records what that body decided; a 登记 records what was done,
 * with its particulars, and the case moves on.
 */
export type StageKind = 'opinion' | 'jointReview' | 'finding' | 'approval' | 'meeting' | 'signature' | 'submission' | 'answer' | 'record';

export interface StageDefinition {
  key: string;
  kind: StageKind;
  /** What the stage is called in cards and messages, e.g. 所在单位党组织意见. */
  title: string;
  /** The row of the paper form it fills, when not its own key (a 集体研究 fills 基层党委意见). */
  row?: string;
  /** Who decides, resolved from the roster by this role on the case's unit or its nearest ancestor. */
  role: Role | 'applicant';
  basis: string;
  /**
   * The dialogue the stage is decided in, when the kind's own does not fit: a finding's
   * investigation (its criteria, verdict and outcomes are the chain's own), a cadre's wishes.
   */
  dialogue?: string;
  /** The button that starts it. */
  label?: string;
  /** What 同意 / 不同意 mean here when it is not an approver's (a cadre's wishes: 希望澄清正名). */
  stanceWords?: Record<Stance, string>;
  /** The verdicts a finding here may reach, when not all of the chain's (考察核实 and 组织决定 conclude differently). */
  verdicts?: string[];
  /** Answers the stage's dialogue starts with, taken from the case (the way proposed, for the 组织决定). */
  prefill?: (c: CaseRecord) => Record<string, unknown>;
}

/** One way through the chain, chosen at intake, with why a case takes it. */
export interface PathDefinition {
  key: string;
  /** 一般事项, “八个一体化”事项, 市级层面事项. */
  title: string;
  /** Stage keys in order. */
  stages: string[];
  /** Said to the applicant at intake: what happens, and the article it comes from. */
  explain: string;
}

/** What a concluded case's answer is called and who receives it besides the applicant. */
export interface ReplyDefinition {
  /** 批复 (容错) or 回复 (备案). */
  title: string;
  numberPrefix: Register;
  /** The roles (resolved on the case's unit) that are sent the answer: the unit's party organisation. */
  to: Role[];
  basis: string;
}

/** The chain's outcomes (容错: the four of 《容错细则》第七条), chosen alone or combined. */
export interface OutcomeList {
  /** How they are cited: 《容错细则》第七条. */
  cite: string;
  items: readonly string[];
}

export interface TaskDefinition {
  kind: string;
  title: string;
  /** Who does it: a role resolved for the case's unit, or the applicant themself. */
  role: Role | 'applicant';
  /** The 建议办理期限 setting counted from the day the task is created; none: no suggested date. */
  due?: DeadlineKey;
  /** Due at the end of the case's own period (form.periodEnd) rather than after the grant. */
  dueAtPeriodEnd?: boolean;
  /** Created only for cases this holds for (報备 only when the zone itself decided). */
  when?: (c: CaseRecord) => boolean;
  /** Completing it records the date the case was 报备 to the city. */
  marksReported?: boolean;
  /** The dialogue that completes it, when a note is not enough (a result report has fields). */
  dialogue?: string;
  /** Answers that dialogue starts with, taken from the case (who a 约谈提醒 is with). */
  prefill?: (c: CaseRecord) => Record<string, unknown>;
}

/** Someone told when a case is granted, beyond the applicant and the reply's recipients. */
export interface GrantNotice {
  role: Role;
  text: (c: CaseRecord, outcome: string) => string;
}

export interface WorkflowDefinition {
  kind: CaseKind;
  /** 容错免责申请, 改革创新风险备案. */
  title: string;
  numberPrefix: Register;
  /** Every stage any path uses. */
  stages: StageDefinition[];
  paths: PathDefinition[];
  /** What findings, 集体研究 and answers conclude. */
  verdicts: Verdict[];
  /** What a finding answers for each (the 六看), if anything, and how the form heads them. */
  criteria?: { heading: string; items: readonly Criterion[] };
  /** What a verdict that grants may come with. */
  outcomes?: OutcomeList;
  reply?: ReplyDefinition;
  /** What a case in each state is called where the general words do not fit. */
  statusLabels?: Partial<Record<CaseStatus, string>>;
  /** Whether the applicant may take the case back before anyone has decided (not a 澄清正名 the 纪工委 opened). */
  withdrawable: boolean;
  /**
   * The case's applicant when they did not apply: what they are called (the cadre of a 澄清正名 or
   * an adjustment) and whether each step is told to them (not to a cadre under 考察核实, who hears
   * the decision in its 谈话).
   */
  applicant?: { word: string; told: boolean };
  /**
   * When set, only holders of these roles read the case (besides those who hold its stages): not its
   * applicant, nor the territory's 纪（工）委. An adjustment is 组织人事's and 党群工作部's.
   */
  readers?: Role[];
  /** The case's form as every approver reads it before deciding: each field, whole. */
  summarize(c: CaseRecord, applicantName: string): CardField[];
  /** The two or three fields a compact card shows (keynames of at most 5 characters; messengers cut the values). */
  headline(c: CaseRecord, applicantName: string): CardField[];
  /** Follow-up work created when the case is granted. */
  onGranted: TaskDefinition[];
  /** Follow-up work that other tasks or later events create (a 绩效评价 after a result report). */
  laterTasks?: TaskDefinition[];
  grantNotices?: GrantNotice[];
}
