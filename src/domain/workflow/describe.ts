import { item } from '../numbering';
import { verdictOf } from './chain';
import { STANCE_WORDS, type Stance, type StageEntry } from './record';
import type { CaseRecord, CaseStatus, StageDefinition, StageRecord, WorkflowDefinition } from './types';

/**
 * The words for a stage's entry and a case's conclusion, the same wherever they are shown: on
 * a card, in a chat message, in the timeline, on the paper form and in the 台账.
 */

/** 《容错细则》第七条（一）（三）: the outcomes by number. */
export function outcomeRefs(def: WorkflowDefinition, outcomes: number[]): string {
  return def.outcomes && outcomes.length > 0 ? `${def.outcomes.cite}${outcomes.map(item).join('')}` : '';
}

/** （一）在党风廉政建设责任制考核中免予扣分，免予一票否决: one outcome by number and text. */
export function outcomeLine(def: WorkflowDefinition, index: number): string {
  return `${item(index)}${def.outcomes?.items[index] ?? ''}`;
}

/** 予以容错免责，作《容错细则》第七条（一）（三）处理（部分：…）. */
export function conclusionText(def: WorkflowDefinition, c: { verdict: string; outcomes: number[]; note?: string | null }): string {
  const verdict = verdictOf(def, c.verdict);
  const refs = outcomeRefs(def, c.outcomes);
  return `${verdict.label}${refs ? `，作${refs}处理` : ''}${c.note ? `（${c.note.trim().replace(/[。；]$/, '')}）` : ''}`;
}

/**
 * What a concluded case comes to, item by item, for the applicant's last message and 进度: each
 * outcome granted with its text (《容错细则》第七条（一）在党风廉政建设…), or, when not granted, why.
 */
export function outcomeDetail(def: WorkflowDefinition, c: { verdict: string; outcomes: number[] }, reason?: string): string[] {
  if (!verdictOf(def, c.verdict).grants) return reason ? [`理由：${reason}`] : [];
  if (!def.outcomes || c.outcomes.length === 0) return [];
  return [`给予的处理（${def.outcomes.cite}）：`, ...c.outcomes.map((i) => outcomeLine(def, i))];
}

/** The opinion of the last stage that reached a verdict (a finding, a 集体研究, an answer): why it came out so. */
export function concludingOpinion(stages: StageRecord[]): string | undefined {
  const kinds = ['finding', 'meeting', 'answer'];
  return stages
    .filter((s) => s.status === 'decided' && s.entry && kinds.includes(s.entry.kind))
    .map((s) => (s.entry as { opinion: string }).opinion)
    .at(-1);
}

/** 同意 / 不同意, or what the stage calls them. */
export function stanceWord(stance: Stance, stageDef?: Pick<StageDefinition, 'stanceWords'>): string {
  return stageDef?.stanceWords?.[stance] ?? STANCE_WORDS[stance];
}

const dot = (text: string) => (/[。！？.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}。`);

/** One line: what the stage decided and the opinion it wrote. */
export function entryText(def: WorkflowDefinition, entry: StageEntry, stageDef?: Pick<StageDefinition, 'stanceWords'>): string {
  switch (entry.kind) {
    case 'return':
      return `退回补充：${dot(entry.question)}`;
    case 'opinion':
    case 'jointReview':
      return `${stanceWord(entry.stance, stageDef)}。${dot(entry.opinion)}`;
    case 'finding':
      return `认定：${conclusionText(def, entry)}。${dot(entry.opinion)}`;
    case 'approval':
      return `${STANCE_WORDS[entry.stance]}${entry.stance === 'disagree' ? '，退回重新核实' : ''}${entry.outcomes ? `，调整为${outcomeRefs(def, entry.outcomes)}处理` : ''}。${dot(entry.opinion)}`;
    case 'meeting':
      return `${entry.heldOn} 集体研究（参加：${entry.attendees.join('、')}），明确意见：${conclusionText(def, entry)}。${dot(entry.opinion)}`;
    case 'signature':
      return `签署意见：${dot(entry.opinion)}`;
    case 'submission':
      return `${entry.submittedOn} 呈报，文号 ${entry.documentNumber}。${entry.opinion ? dot(entry.opinion) : ''}`;
    case 'answer':
      return `${entry.answeredOn} 答复（${entry.documentNumber}）：${conclusionText(def, entry)}。${dot(entry.opinion)}`;
    case 'record':
      return `${entry.details.map((d) => `${d.label}：${d.value}`).join('；')}${entry.details.length > 0 ? '。' : ''}${dot(entry.opinion)}`;
  }
}

/** What a decided card shows instead of its buttons, before the name and date: 已同意, 已认定：予以容错免责, 已呈报. */
export function entryVerb(def: WorkflowDefinition, entry: StageEntry, stageDef?: Pick<StageDefinition, 'stanceWords'>): string {
  switch (entry.kind) {
    case 'return':
      return '已退回补充';
    case 'opinion':
    case 'jointReview':
      return stageDef?.stanceWords ? stanceWord(entry.stance, stageDef) : entry.stance === 'agree' ? '已同意' : '不同意';
    case 'approval':
      return entry.stance === 'agree' ? '已同意' : '不同意，已退回重新核实';
    case 'finding':
      return `已认定：${verdictOf(def, entry.verdict).label}`;
    case 'meeting':
      return '已登记集体研究';
    case 'signature':
      return '已签署';
    case 'submission':
      return '已呈报';
    case 'answer':
      return '已登记答复';
    case 'record':
      return '已登记';
  }
}

const STATUS_WORDS: Record<CaseStatus, string> = {
  in_review: '审批中',
  returned: '退回补充中',
  blocked: '审批中（待补充名册）',
  withdrawn: '已撤回',
  granted: '已获批准',
  rejected: '未获同意',
  revoked: '已撤销',
};

/** What a state is called in this chain: 予以容错免责 for a granted 容错 request, 同意备案 for a filing. */
export function statusWord(def: WorkflowDefinition, status: CaseStatus): string {
  return def.statusLabels?.[status] ?? STATUS_WORDS[status];
}

/** 审批中, 部分容错免责, 已撤销认定（第十条）: a case's state in the chain's own words. */
export function statusLabel(def: WorkflowDefinition, c: Pick<CaseRecord, 'status' | 'outcome'>): string {
  if ((c.status === 'granted' || c.status === 'rejected') && c.outcome) return verdictOf(def, c.outcome.verdict).label;
  return statusWord(def, c.status);
}
