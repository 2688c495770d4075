import type { DataSource } from 'typeorm';
import { CaseRepository } from '../domain/workflow/caseRepository';
import { pathOf, stageByKey, verdictOf } from '../domain/workflow/chain';
import { conclusionText, outcomeLine, stanceWord, statusLabel } from '../domain/workflow/describe';
import { historyOf, type HistoryItem, type NameOf } from '../domain/workflow/history';
import { STANCE_WORDS, type DecidingEntry, type ReplyRecord, type Revocation } from '../domain/workflow/record';
import type { CaseRecord, StageDefinition, StageRecord, WorkflowDefinition } from '../domain/workflow/types';
import { RosterRepository } from '../roster/rosterRepository';
import type { Unit } from '../roster/types';
import { bare, brief, chineseDate, lines, type FormLine } from './formLayout';

export type { NameOf } from '../domain/workflow/history';

/**
 * Reading a case for a paper form: what 附件1 (容错免责审批表) and 附件2 (改革创新风险备案表), the
 * 批复 / 回复 and the 呈报件 all take from the case record, its stages and the roster. Each stage's
 * entry is written on paper by entryLines, the same for every form.
 */

/** Who signed a row and when (the signature on paper). */
export interface StageOpinion {
  signer: string;
  /** ISO instant of the decision. */
  decidedAt: string;
}

/** A filled row of the chain: the stage's last decided entry, who recorded it and when. */
export interface FormEntry extends StageOpinion {
  title: string;
  definition: StageDefinition;
  entry: DecidingEntry;
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

/** An approver's 不同意 that sent the case back to the 纪（工）委 for 重新核实. */
export interface Recheck {
  stageTitle: string;
  by: string;
  at: string;
  reason: string;
  /** The finding disagreed with, in its words. */
  finding: string;
}

/** A 第十条 revocation, with names instead of ids. */
export interface RevocationData {
  reason: string;
  description: string;
  by: string;
  at: string;
  previousStatus: Revocation['previousStatus'];
  handling: { result: string; decidedOn: string; documentNumber: string | null; by: string } | null;
}

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

/** Each row of the form (a stage's `row`, or its key) with the last entry decided in it. */
export function rowEntries(items: HistoryItem[]): Map<string, FormEntry> {
  const rows = new Map<string, FormEntry>();
  for (const i of items) {
    if (i.entry.kind === 'return') continue;
    rows.set(i.definition.row ?? i.definition.key, { title: i.definition.title, definition: i.definition, signer: i.signer, decidedAt: i.at, entry: i.entry });
  }
  return rows;
}

/** Every approval that disagreed, with the finding it sent back. */
export function rechecks(items: HistoryItem[]): Recheck[] {
  const found: Recheck[] = [];
  let finding = '';
  for (const i of items) {
    if (i.entry.kind === 'finding') finding = i.text;
    if (i.entry.kind === 'approval' && i.entry.stance === 'disagree') {
      found.push({ stageTitle: i.definition.title, by: i.signer, at: i.at, reason: i.entry.opinion, finding: finding.split('。')[0].replace(/^认定：/, '') });
    }
  }
  return found;
}

/** Every 退回补充 of the case, paired in order with the applicant's supplements (form.supplements). */
export function returnRounds(c: CaseRecord, items: HistoryItem[]): ReturnRound[] {
  const supplements = Array.isArray(c.form.supplements) ? (c.form.supplements as Record<string, unknown>[]) : [];
  return items
    .filter((i) => i.entry.kind === 'return')
    .map((i, n) => {
      const answer = supplements[n];
      return {
        stageTitle: i.definition.title,
        by: i.signer,
        at: i.at,
        question: i.entry.kind === 'return' ? i.entry.question : '',
        answer: answer ? asString(answer.text) : null,
        answeredAt: answer ? asString(answer.at) : null,
        attachments: answer ? countOf(answer.attachments) : 0,
      };
    });
}

export async function revocationData(r: Revocation | null, nameOf: NameOf): Promise<RevocationData | null> {
  if (!r) return null;
  const h = r.handling;
  return {
    reason: r.reason,
    description: r.description,
    by: await nameOf(r.by),
    at: r.at,
    previousStatus: r.previousStatus,
    handling: h ? { result: h.result, decidedOn: h.decidedOn, documentNumber: h.documentNumber, by: await nameOf(h.by) } : null,
  };
}

/**
 * A stage's entry as the paper form writes it in the stage's row: the opinion as typed, then
 * what it decided (the 六看, the conclusion and outcomes, an amendment, a meeting's particulars).
 */
export function entryLines(def: WorkflowDefinition, { entry, definition }: Pick<FormEntry, 'entry' | 'definition'>): FormLine[] {
  const outcomes = (indexes: number[], heading: string): FormLine[] =>
    indexes.length > 0 && def.outcomes ? [{ text: `${heading}（${def.outcomes.cite}）：`, bold: true }, ...indexes.map((i) => ({ text: `${outcomeLine(def, i)}；` }))] : [];
  const verdict = (e: { verdict: string; note?: string }, heading: string): FormLine[] => [
    { text: `${heading}：${verdictOf(def, e.verdict).label}` },
    ...(e.note ? [{ text: `（${bare(e.note)}）` }] : []),
  ];
  switch (entry.kind) {
    case 'opinion':
      return [
        ...lines(entry.opinion),
        ...(entry.details ?? []).map((d) => ({ text: `${d.label}：${d.value}` })),
        { text: definition.stanceWords ? `${stanceWord(entry.stance, definition)}。` : `意见：${STANCE_WORDS[entry.stance]}` },
      ];
    case 'jointReview':
      return [...lines(entry.opinion), { text: `会审结论：${STANCE_WORDS[entry.stance]}` }];
    case 'signature':
      return lines(entry.opinion);
    case 'record':
      return [...entry.details.map((d) => ({ text: `${d.label}：${d.value}` })), ...lines(entry.opinion)];
    case 'finding':
      return [
        ...lines(entry.opinion),
        ...(entry.criteria.length > 0
          ? [{ text: `${def.criteria?.heading ?? '核实情况'}：`, bold: true }, ...entry.criteria.map((c) => ({ text: `${c.title}：${brief(c.finding, FINDING_MAX)}` }))]
          : []),
        ...(entry.details ?? []).map((d) => ({ text: `${d.label}：${d.value}` })),
        ...verdict(entry, '认定结论'),
        ...outcomes(entry.outcomes, '建议的处理'),
      ];
    case 'approval':
      return [
        ...lines(entry.opinion),
        { text: `审核意见：${STANCE_WORDS[entry.stance]}${entry.stance === 'disagree' ? '，退回重新核实' : ''}` },
        ...(entry.outcomes ? outcomes(entry.outcomes, '调整后的处理') : []),
      ];
    case 'meeting':
      return [
        { text: `集体研究：${chineseDate(entry.heldOn)}；参加人员：${entry.attendees.join('、')}` },
        ...lines(entry.opinion),
        ...verdict(entry, '明确意见'),
        ...outcomes(entry.outcomes, '建议的处理'),
        { text: `会议纪要：${entry.minutes.length} 份（另附）` },
      ];
    case 'submission':
      return [{ text: `${chineseDate(entry.submittedOn)}呈报市纪委监委，文号：${entry.documentNumber}${entry.opinion ? `。${bare(entry.opinion)}` : ''}。` }];
    case 'answer':
      return [
        { text: `市纪委监委于${chineseDate(entry.answeredOn)}答复（${entry.documentNumber}）：${verdictOf(def, entry.verdict).label}${entry.note ? `（${bare(entry.note)}）` : ''}。${bare(entry.opinion)}。` },
        ...outcomes(entry.outcomes, '答复的处理'),
      ];
  }
}

/** Findings longer than this are shortened on the form; the full text stays in the case record. */
const FINDING_MAX = 100;

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

/** What every form of a case reads: its stages as history, its 批复 / 回复, and the form's rows. */
export interface CaseReading {
  items: HistoryItem[];
  /** 回避 of the stages routed so far, once each: "所在单位党组织意见：申请人本人为…，因回避，本环节由…办理". */
  recusals: string[];
  rows: Map<string, FormEntry>;
  reply: ReplyRecord | null;
}

export async function readCase(def: WorkflowDefinition, c: CaseRecord, stages: StageRecord[], source: FormSource): Promise<CaseReading> {
  const items = await historyOf(def, stages, source.nameOf);
  const recusals = stages.flatMap((s) => (s.recusal ? [`${stageByKey(def, s.stageKey).title}：${s.recusal}`] : []));
  return { items, recusals: [...new Set(recusals)], rows: rowEntries(items), reply: (await source.cases.reply(c.id)) ?? null };
}

/** The part of 附件1 and 附件2 that is the chain: its path, its later rows, and what happened on the way. */
export interface ChainData {
  /** 审批中, 予以容错免责, 同意备案, 已撤销认定（《容错细则》第十条）. */
  statusLabel: string;
  /** The path's key and title (一般事项, “八个一体化”事项, 市级层面事项) and why it was taken. */
  path: string;
  pathTitle: string;
  pathReasons: string[];
  discipline: FormEntry | null;
  /** 基层党委意见: the approval, or on the city path the 集体研究. */
  committee: FormEntry | null;
  /** 开发区党工委意见: the 八个一体化 approval, or on the city path the signature (容错) or approval (备案). */
  zone: FormEntry | null;
  submission: FormEntry | null;
  answer: FormEntry | null;
  /** Every decided stage in order, one line each (for the 台账). */
  history: { title: string; signer: string; at: string; text: string }[];
  rechecks: Recheck[];
  recusals: string[];
  returns: ReturnRound[];
  reply: ReplyRecord | null;
}

export function chainData(def: WorkflowDefinition, c: CaseRecord, { items, recusals, rows, reply }: CaseReading): ChainData {
  const path = pathOf(def, c);
  return {
    statusLabel: statusLabel(def, c),
    path: path.key,
    pathTitle: path.title,
    pathReasons: Array.isArray(c.form.pathReasons) ? c.form.pathReasons.map(asString) : [],
    discipline: rows.get('discipline') ?? null,
    committee: rows.get('committee') ?? null,
    zone: rows.get('zone') ?? null,
    submission: rows.get('submission') ?? null,
    answer: rows.get('answer') ?? null,
    history: items.map((i) => ({ title: i.definition.title, signer: i.signer, at: i.at, text: i.text })),
    rechecks: rechecks(items),
    recusals,
    returns: returnRounds(c, items),
    reply,
  };
}

/**
 * What the 备注 row of either form says about the chain beyond its rows: each 重新核实, the
 * 呈报 and the 市纪委监委's answer, and the 批复 / 回复 with the final outcome.
 */
export function chainNotes(
  def: WorkflowDefinition,
  r: { rechecks: Recheck[]; recusals: string[]; submission: FormEntry | null; answer: FormEntry | null; reply: ReplyRecord | null },
): FormLine[] {
  const notes: FormLine[] = r.recusals.map((text) => ({ text: `回避：${text}。` }));
  notes.push(...r.rechecks.map((x) => ({
    text: `重新核实：${chineseDate(x.at)}，${x.stageTitle}环节${x.by}不同意纪（工）委原认定意见（${bare(x.finding)}），理由：${bare(x.reason)}；退回纪（工）委重新核实。`,
  })));
  if (r.submission) notes.push(...entryLines(def, r.submission).map((l) => ({ text: `呈报：${l.text}（${r.submission!.signer}登记）` })));
  if (r.answer) notes.push(...entryLines(def, r.answer).map((l, i) => ({ text: i === 0 ? `答复：${l.text}（${r.answer!.signer}登记）` : l.text })));
  if (r.reply && r.reply.issuer === 'zone') {
    notes.push({ text: `${r.reply.title}：${r.reply.number}，${chineseDate(r.reply.issuedOn)}，${conclusionText(def, r.reply)}。` });
  }
  return notes;
}
