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
import type { Section } from '../access';

export type { UnitCompletion, Talkee, QuotaRuleSetting, TalkKind, ChangedEntry, Entry, RoleChange, RosterProblem, Role, UnitKind, LinkedPerson, SyncReport, UnmatchedMember, ArrangedDay, Section };

export interface Me {
  person: { code: string; name: string; post: string; unit: string };
  roles: { role: Role; label: string; unit: string }[];
  sections: Section[];
  csrfToken: string;
  signedInVia: string;
  /** What this person may do beyond reading: import the roster, change settings. */
  manages: boolean;
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

export interface RosterView {
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

export interface AuditPage {
  rows: AuditRow[];
  total: number;
}
