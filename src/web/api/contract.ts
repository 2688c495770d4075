/**
 * The JSON the console's API answers with, typed from the domain's own types so that the pages
 * (web/console) and the server agree. Type-only: nothing here runs.
 */
import type { UnitCompletion, Talkee } from '../../domain/talks/progress';
import type { QuotaRuleSetting } from '../../domain/talks/quotaRules';
import type { TalkKind } from '../../domain/talks/talkRecords';
import type { ChangedEntry, Entry, RoleChange, RosterProblem } from '../../roster/importRoster';
import type { Role, UnitKind } from '../../roster/types';
import type { LinkedPerson, SyncReport, UnmatchedMember } from '../../channels/shared/rosterLink';
import type { ArrangedDay } from '../../scheduling/workdays';
import type { CaseKind, CaseStatus } from '../../domain/workflow/types';
import type { Section } from '../access';

export type { UnitCompletion, Talkee, QuotaRuleSetting, TalkKind, ChangedEntry, Entry, RoleChange, RosterProblem, Role, UnitKind, LinkedPerson, SyncReport, UnmatchedMember, ArrangedDay, Section, CaseKind, CaseStatus };

export interface Me {
  person: { code: string; name: string; post: string; unit: string };
  roles: { role: Role; label: string; unit: string }[];
  sections: Section[];
  csrfToken: string;
  signedInVia: string;
  /** What this person may do beyond reading: import the roster, change settings. */
  manages: boolean;
  /** Whether 概览 shows 谈心谈话 completion (党群工作部 and leaders). */
  talkOverview: boolean;
}

export interface LeaderProgress {
  talkerId: number;
  name: string;
  post: string;
  unit: string;
  done: Talkee[];
  owed: Talkee[];
}

export interface TalkFigures {
  year: number;
  asOf: string;
  /** 'zone' for 党群工作部, 'units' for a leader's units, 'own' for one's own talks only. */
  scope: 'zone' | 'units' | 'own';
  totals: { done: number; owed: number };
  byUnit: UnitCompletion[];
  byLeader: LeaderProgress[];
}

export interface TalkListItem {
  number: string;
  talkedOn: string;
  kind: TalkKind;
  talker: string;
  talkees: string[];
  withdrawn: boolean;
  /** Whether this viewer may open the content (talk access rules); opening it is audited. */
  readable: boolean;
}

/** The units whole and one page of the people. */
export interface RosterView extends Paging {
  units: { code: string; name: string; kind: UnitKind; parentCode: string | null }[];
  people: { code: string; name: string; unit: string; unitCode: string; post: string; nature: string; roles: string[]; wecom: boolean; dingtalk: boolean; joinedOn: string | null; leftOn: string | null }[];
}

export interface RosterPreview {
  token: string;
  fileName: string;
  units: { added: Entry[]; updated: ChangedEntry[]; unchanged: number };
  people: { added: Entry[]; updated: ChangedEntry[]; unchanged: number; leaving: Entry[] };
  roles: { added: RoleChange[]; removed: RoleChange[] };
  /** On the roster but not in the file: kept as they are. */
  notInFile: number;
}

export interface RosterProblems {
  problems: RosterProblem[];
}

export interface SyncPreview {
  token: string;
  channel: 'wecom' | 'dingtalk';
  report: SyncReport;
}

export interface CalendarView {
  year: number;
  source: 'loaded' | 'package' | 'weekdays';
  days: ArrangedDay[];
  description: string;
}

export interface QuotaRulesView {
  rules: { unitCode: string; unitName: string; rule: QuotaRuleSetting; words: string }[];
  units: { code: string; name: string }[];
}

export interface AuditRow {
  id: number;
  at: string;
  actor: { code: string; name: string } | null;
  channel: string | null;
  action: string;
  subject: string;
  detail: string | null;
}

export interface AuditPage extends Paging {
  rows: AuditRow[];
}

export type { DeadlineKey } from '../../domain/workflow/deadlines';

export interface PersonRef {
  code: string;
  name: string;
}

/** A case as the console's 案件 list shows it: what it is, where it stands, whom it waits on. */
export interface CaseListItem {
  number: string;
  kind: CaseKind;
  /** 容错免责申请, 改革创新风险备案, 澄清正名. */
  kindTitle: string;
  status: CaseStatus;
  statusLabel: string;
  applicant: PersonRef;
  unit: string;
  unitCode: string;
  filedOn: string;
  path: string;
  integrated: boolean;
  /** Stages open now, with how many working days each has waited (src/calendar). */
  stages: { key: string; title: string; assignee: PersonRef | null; blocked: boolean; openedOn: string; waitedWorkingDays: number }[];
  /** Open follow-up tasks; overdue when past their 建议办理期限（本区设置）. */
  tasks: { kind: string; title: string; assignee: PersonRef | null; dueOn: string | null; overdue: boolean }[];
  waitingOn: PersonRef[];
  reportedOn: string | null;
  /** Which documents the case has: its form always, a 批复 / 回复 once concluded, a 呈报表 on the city path. */
  documents: { form: boolean; reply: boolean; submission: boolean };
}

/** Where a paged list stands: `total` rows in all, this is page `page` of `pageSize` each. */
export interface Paging {
  total: number;
  page: number;
  pageSize: number;
}

export interface CaseListView extends Paging {
  cases: CaseListItem[];
  /** The choices of the filters, from what the viewer may see. */
  choices: {
    kinds: { value: string; label: string }[];
    statuses: { value: string; label: string }[];
    stages: { value: string; label: string }[];
    units: { value: string; label: string }[];
    waitingOn: { value: string; label: string }[];
  };
  /** Whether this viewer may export the 台账 (纪工委, 党群工作部, 组织人事部门). */
  ledger: boolean;
}

export interface CaseFigures {
  year: number;
  asOf: string;
  total: number;
  byStatus: { status: string; label: string; count: number }[];
  /** Open stages by their title, with the longest and the average wait in working days. */
  byStage: { title: string; count: number; longestWait: number; averageWait: number }[];
  /** Follow-up tasks past their 建议办理期限（本区设置）. */
  overdue: { number: string; title: string; assignee: string; dueOn: string; daysPast: number }[];
  /** Cases filed per month of the year, by kind. */
  perMonth: { month: string; tolerance: number; filing: number; clearance: number }[];
  /** 报备市纪委监委 (zone decisions) and 呈报 (city-level matters). */
  city: { number: string; kindTitle: string; applicant: string; way: '报备' | '呈报'; done: string | null; dueOn: string | null }[];
}

export interface DeadlinesView {
  /** SUGGESTED_DAYS_*: calendar days, the zone's own settings (建议办理期限（本区设置）). */
  settings: { key: string; env: string; label: string; days: number }[];
}

/** A 问责事项 as the console lists it, with the cases (容错免责, 澄清正名) that answer to it. */
export interface MatterListItem {
  number: string;
  /** The person (with their post) or the unit the matter is about. */
  subject: string;
  unit: string;
  unitCode: string;
  summary: string;
  openedOn: string;
  openedBy: PersonRef | null;
  status: 'open' | 'exempted' | 'closed' | 'unfounded';
  statusLabel: string;
  cases: { number: string; kindTitle: string; statusLabel: string }[];
}

export interface MatterListView extends Paging {
  matters: MatterListItem[];
  choices: { statuses: { value: string; label: string }[]; units: { value: string; label: string }[] };
}

/** A granted 容错免责 as 组织人事部门 execute it: the 第七条 outcomes, the 批复, and their own task. */
export interface ExemptionItem {
  number: string;
  person: PersonRef;
  post: string;
  unit: string;
  /** 予以容错免责，作《容错细则》第七条（一）（三）处理. */
  outcome: string;
  /** Each 第七条 item granted, with its text. */
  outcomes: string[];
  reply: { title: string; number: string; issuedOn: string } | null;
  /** The ground it was revoked on since (《容错细则》第十条（一）…), else null. */
  revoked: string | null;
  /** 组织人事部门's 执行反馈 task (《容错细则》第六条（一）5). */
  execution: { assignee: PersonRef | null; dueOn: string | null; status: 'open' | 'done' | 'cancelled'; doneOn: string | null; overdue: boolean; label: string } | null;
}

export interface ExemptionListView extends Paging {
  exemptions: ExemptionItem[];
}

/** The zone's 八个一体化 list: the policy names the matters without listing them, so the list is the zone's own. */
export interface IntegratedMattersView {
  matters: string[];
  /** False until 党群工作部 sets it: there is no list, and the questions say to ask 党群工作部. */
  set: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
  limits: { most: number; shortest: number; longest: number };
  /** The list as the chat says it. */
  description: string;
}
