import { stageByKey } from './chain';
import { entryText } from './describe';
import type { DecidingEntry, StageEntry } from './record';
import type { StageDefinition, StageRecord, WorkflowDefinition } from './types';

/** A person's name by id, looked up once however often it is asked. */
export type NameOf = (personId: number | null | undefined) => Promise<string>;

/** One decided stage of a case: who recorded what, when, and how it reads. */
export interface HistoryItem {
  stage: StageRecord;
  definition: StageDefinition;
  signer: string;
  /** ISO instant. */
  at: string;
  entry: StageEntry;
  text: string;
}

/** Every decided stage of the case in order (退回补充 and 重新核实 rounds included). */
export async function historyOf(def: WorkflowDefinition, stages: StageRecord[], nameOf: NameOf): Promise<HistoryItem[]> {
  const items: HistoryItem[] = [];
  for (const stage of stages) {
    if (!stage.entry || (stage.status !== 'decided' && stage.status !== 'returned')) continue;
    const definition = stageByKey(def, stage.stageKey);
    items.push({
      stage,
      definition,
      signer: await nameOf(stage.decidedBy ?? stage.assigneeId),
      at: stage.decidedAt ?? stage.openedAt,
      entry: stage.entry,
      text: entryText(def, stage.entry, definition),
    });
  }
  return items;
}

/** The last decided entry of a stage (its row on the form), or undefined. */
export function lastDecided(items: HistoryItem[], key: string): (HistoryItem & { entry: DecidingEntry }) | undefined {
  return items.filter((i): i is HistoryItem & { entry: DecidingEntry } => i.stage.stageKey === key && i.entry.kind !== 'return').at(-1);
}
