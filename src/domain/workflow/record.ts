import type { CaseStatus } from './types';

/**
 * What each stage of a case decided, and what the case came to: the one typed record that a
 * card, a chat message, a paper form and a web page all render from. Stored as JSON
 * (case_stages.findings, cases.outcome, cases.revocation); the shapes below are the only ones
 * written since migration 1734000000000 converted the earlier ones.
 */

/** 同意 / 不同意: an opinion, a joint review's opinion, an approval. */
export type Stance = 'agree' | 'disagree';
export const STANCE_WORDS: Record<Stance, string> = { agree: '同意', disagree: '不同意' };

/** A file sent in the chat: the messenger's media id, and the received_files row its bytes are kept in. */
export interface StoredAttachment {
  channel: string;
  mediaKind: 'file' | 'image' | 'video';
  mediaId: string;
  fileName?: string;
  receivedAt: string;
  fileId?: number;
}

/** One of the tests a finding answers (容错: the 六看 of 《容错细则》第四条). */
export interface Criterion {
  key: string;
  title: string;
  question: string;
}

/** A conclusion a finding, a 集体研究 or an outside answer may reach (予以 / 部分 / 不予). */
export interface Verdict {
  key: string;
  label: string;
  /** Whether it grants what was asked (and so carries outcomes, when the chain has any). */
  grants: boolean;
  /** A verdict that grants only in part asks which part: this is the question. */
  partPrompt?: string;
  /** Reached by a finding, it concludes the case there, whatever stages the path has left (nothing to adjust). */
  ends?: boolean;
}

/** What a finding said about one criterion. */
export interface CriterionFinding {
  key: string;
  title: string;
  finding: string;
}

/** A labelled value a stage recorded beyond its opinion (a cadre's wishes, a scope and manner). */
export interface Detail {
  key: string;
  label: string;
  value: string;
}

/** A participant's opinion in a 集体会审. */
export interface ReviewEntry {
  reviewerId: number;
  stance: string;
  opinion: string;
}

/** An opinion row: recorded on the form, and the case moves on whatever it says. */
export interface OpinionEntry {
  kind: 'opinion';
  stance: Stance;
  opinion: string;
  details?: Detail[];
}

/** The joint opinion of a 集体会审 with what each participant said; the case moves on. */
export interface JointReviewEntry {
  kind: 'jointReview';
  stance: Stance;
  opinion: string;
  reviews: ReviewEntry[];
}

/** A finding (认定): a verdict, the criteria, the outcomes proposed (indexes into the chain's outcomes). */
export interface FindingEntry {
  kind: 'finding';
  verdict: string;
  opinion: string;
  criteria: CriterionFinding[];
  outcomes: number[];
  /** For a verdict that grants in part: which part. */
  note?: string;
  details?: Detail[];
}

/** An approval: agree (possibly amending the outcomes) or disagree, which sends the case back to the finding. */
export interface ApprovalEntry {
  kind: 'approval';
  stance: Stance;
  opinion: string;
  /** The outcomes as the approver amended them; absent when they kept the finding's. */
  outcomes?: number[];
}

/** 集体研究: the meeting that reached a 明确意见, with its minutes. */
export interface MeetingEntry {
  kind: 'meeting';
  /** YYYY-MM-DD. */
  heldOn: string;
  attendees: string[];
  verdict: string;
  outcomes: number[];
  note?: string;
  /** The 明确意见 as written. */
  opinion: string;
  minutes: StoredAttachment[];
}

/** 签署: an opinion signed; the case moves on. */
export interface SignatureEntry {
  kind: 'signature';
  opinion: string;
}

/** 呈报: what was submitted to an outside body, when and under which number. */
export interface SubmissionEntry {
  kind: 'submission';
  /** YYYY-MM-DD. */
  submittedOn: string;
  documentNumber: string;
  opinion: string;
  attachments: StoredAttachment[];
}

/** The outside body's answer to a 呈报, as recorded on its behalf: it concludes the case. */
export interface AnswerEntry {
  kind: 'answer';
  /** YYYY-MM-DD. */
  answeredOn: string;
  documentNumber: string;
  verdict: string;
  outcomes: number[];
  note?: string;
  opinion: string;
  attachments: StoredAttachment[];
}

/** 登记: what was done, with its particulars (a proposal's way, a talk's date and talker); the case moves on. */
export interface RecordEntry {
  kind: 'record';
  opinion: string;
  details: Detail[];
}

/** 退回补充: the question put to the applicant. */
export interface ReturnEntry {
  kind: 'return';
  question: string;
}

export type StageEntry =
  | OpinionEntry
  | JointReviewEntry
  | FindingEntry
  | ApprovalEntry
  | MeetingEntry
  | SignatureEntry
  | SubmissionEntry
  | AnswerEntry
  | RecordEntry
  | ReturnEntry;

export type DecidingEntry = Exclude<StageEntry, ReturnEntry>;

/** How a concluded case came out, and who concluded it: the zone (批复) or the city (its answer). */
export interface CaseConclusion {
  verdict: string;
  outcomes: number[];
  note?: string;
  by: 'zone' | 'city';
  /** ISO instant. */
  decidedAt: string;
}

/** 《容错细则》第十条: a concluded case reopened; the record keeps what it was before. */
export interface Revocation {
  /** Index into REVOCATION_REASONS. */
  ground: number;
  /** 第十条（一）申请免责材料弄虚作假、欺骗组织的. */
  reason: string;
  description: string;
  by: number;
  /** ISO instant. */
  at: string;
  previousStatus: CaseStatus;
  /** The 问责事项 reopened (or opened, when the request named none). */
  matterId: number | null;
  /** 依纪依法严肃处理: what was decided, recorded later. */
  handling?: { result: string; decidedOn: string; documentNumber: string | null; by: number; at: string };
}

/** 批复 / 回复: the answer to the applicant and their unit's party organisation. */
export interface ReplyRecord {
  id: number;
  caseId: number;
  number: string;
  /** 批复 or 回复. */
  title: string;
  issuer: 'zone' | 'city';
  /** YYYY-MM-DD. */
  issuedOn: string;
  verdict: string;
  outcomes: number[];
  note: string | null;
  /** Who agreed last (the approver the 批复 speaks for); null for a city answer. */
  approverId: number | null;
  recipientIds: number[];
  createdAt: string;
}
