import type { CaseRepository } from './caseRepository';
import { pathOf, stageByKey } from './chain';
import { conclusionText, statusLabel } from './describe';
import { historyOf, type HistoryItem, type NameOf } from './history';
import type { ReplyRecord, Revocation } from './record';
import type { CaseRecord, PathDefinition, StageDefinition, StageRecord, WorkflowDefinition } from './types';

/**
 * A case as anyone reading it sees it, whatever shows it (the 进度 message, a card, a web page):
 * its path, every stage recorded with who and when, what it waits on, how it ended. One place,
 * so that every view says the same.
 */
export interface CaseView {
  case: CaseRecord;
  definition: WorkflowDefinition;
  path: PathDefinition;
  /** 审批中, 部分容错免责, 已撤销认定（《容错细则》第十条）. */
  status: string;
  history: HistoryItem[];
  /** Stages opened and not decided: waiting, blocked for want of an approver, or withdrawn. */
  open: { stage: StageRecord; definition: StageDefinition; assignee: string }[];
  /** 予以容错免责，作《容错细则》第七条（一）（三）处理; null until concluded. */
  conclusion: string | null;
  reply: ReplyRecord | null;
  revocation: Revocation | null;
}

export async function caseView(definition: WorkflowDefinition, cases: CaseRepository, c: CaseRecord, nameOf: NameOf): Promise<CaseView> {
  const stages = await cases.stages(c.id);
  const history = await historyOf(definition, stages, nameOf);
  const decided = new Set(history.map((h) => h.stage.id));
  const open = await Promise.all(
    stages.filter((s) => !decided.has(s.id)).map(async (stage) => ({ stage, definition: stageByKey(definition, stage.stageKey), assignee: await nameOf(stage.assigneeId) })),
  );
  return {
    case: c,
    definition,
    path: pathOf(definition, c),
    status: statusLabel(definition, c),
    history,
    open,
    conclusion: c.outcome ? conclusionText(definition, c.outcome) : null,
    reply: (await cases.reply(c.id)) ?? null,
    revocation: c.revocation,
  };
}
