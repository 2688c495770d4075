import { UserFacingError } from '../../errors';
import type { DecidingEntry, StageEntry, Verdict } from './record';
import { applicantFollows } from './kinds';
import type { CaseRecord, Decision, PathDefinition, StageDefinition, StageRecord, WorkflowDefinition } from './types';

/**
 * The rules of a chain, as plain functions of its definition and a case's stages: which stage
 * comes next, where a disagreement sends the case, what it concludes, and whether an entry is
 * one the stage may record.
 */

export function pathOf(def: WorkflowDefinition, c: Pick<CaseRecord, 'path'>): PathDefinition {
  const path = def.paths.find((p) => p.key === c.path);
  if (!path) throw new Error(`${def.kind}: no path ${c.path}`);
  return path;
}

export function stageByKey(def: WorkflowDefinition, key: string): StageDefinition {
  const stage = def.stages.find((s) => s.key === key);
  if (!stage) throw new Error(`${def.kind}: no stage ${key}`);
  return stage;
}

/** The stages of the case's path, in order. */
export function stagesOf(def: WorkflowDefinition, c: Pick<CaseRecord, 'path'>): StageDefinition[] {
  return pathOf(def, c).stages.map((key) => stageByKey(def, key));
}

export function nextStage(def: WorkflowDefinition, c: Pick<CaseRecord, 'path'>, key: string): StageDefinition | undefined {
  const stages = pathOf(def, c).stages;
  const next = stages[stages.indexOf(key) + 1];
  return next === undefined ? undefined : stageByKey(def, next);
}

/** Where an approval's 不同意 sends the case: the finding before it on the path (重新核实). */
export function findingBefore(def: WorkflowDefinition, c: Pick<CaseRecord, 'path'>, key: string): StageDefinition {
  const stages = stagesOf(def, c);
  const found = stages.slice(0, stages.findIndex((s) => s.key === key)).reverse().find((s) => s.kind === 'finding');
  if (!found) throw new Error(`${def.kind}: approval ${key} has no finding before it`);
  return found;
}

export function verdictOf(def: WorkflowDefinition, key: string): Verdict {
  const verdict = def.verdicts.find((v) => v.key === key);
  if (!verdict) throw new Error(`${def.kind}: no verdict ${key}`);
  return verdict;
}

/** Forward, against, or 退回补充: what a stage's entry means for the decision column. */
export function decisionOf(def: WorkflowDefinition, entry: StageEntry): Decision {
  switch (entry.kind) {
    case 'return':
      return 'return';
    case 'opinion':
    case 'jointReview':
    case 'approval':
      return entry.stance === 'agree' ? 'approve' : 'reject';
    case 'finding':
    case 'meeting':
    case 'answer':
      return verdictOf(def, entry.verdict).grants ? 'approve' : 'reject';
    case 'signature':
    case 'submission':
    case 'record':
      return 'approve';
  }
}

const deciding = (s: StageRecord): s is StageRecord & { entry: DecidingEntry } => s.status === 'decided' && s.entry !== null && s.entry.kind !== 'return';

/**
 * What the zone concludes: the verdict of the last finding, with the outcomes as the approvals
 * after it left them (an approver may amend them). Undefined before any finding.
 */
export function zoneConclusion(stages: StageRecord[]): { verdict: string; outcomes: number[]; note?: string } | undefined {
  const decided = stages.filter(deciding);
  const lastFinding = decided.map((s) => s.entry).filter((e) => e.kind === 'finding').at(-1);
  if (!lastFinding) return undefined;
  let outcomes = lastFinding.outcomes;
  const after = decided.slice(decided.findIndex((s) => s.entry === lastFinding) + 1);
  for (const s of after) if (s.entry.kind === 'approval' && s.entry.stance === 'agree' && s.entry.outcomes) outcomes = s.entry.outcomes;
  return { verdict: lastFinding.verdict, outcomes, ...(lastFinding.note ? { note: lastFinding.note } : {}) };
}

const bad = (message: string): never => {
  throw new UserFacingError(message);
};

/** Checks that an entry is what this stage records, with values the chain knows; says what is wrong. */
export function checkEntry(def: WorkflowDefinition, stageDef: StageDefinition, entry: StageEntry): void {
  if (entry.kind === 'return') {
    if (!['opinion', 'jointReview', 'finding', 'approval'].includes(stageDef.kind) || !applicantFollows(def)) bad(`“${stageDef.title}”环节不能退回补充。`);
    if (!entry.question.trim()) bad('请写明需要补充的内容。');
    return;
  }
  if (entry.kind !== stageDef.kind) bad(`“${stageDef.title}”环节不能这样办理。`);
  // A 呈报's note is optional; every other entry is its opinion.
  if (entry.kind !== 'submission' && !entry.opinion.trim()) bad('意见不能为空。');
  const outcomesOk = (verdictKey: string, outcomes: number[], note: string | undefined) => {
    const verdict = def.verdicts.find((v) => v.key === verdictKey) ?? bad('认定结论不在可选范围内。');
    const count = def.outcomes?.items.length ?? 0;
    if (outcomes.some((i) => !Number.isInteger(i) || i < 0 || i >= count)) bad('处理方式不在可选范围内。');
    if (verdict.grants && count > 0 && outcomes.length === 0) bad(`“${verdict.label}”须至少选择一项处理（${def.outcomes!.cite}）。`);
    if (!verdict.grants && outcomes.length > 0) bad(`“${verdict.label}”不应再选择处理方式。`);
    if (verdict.partPrompt && !note?.trim()) bad(verdict.partPrompt);
  };
  switch (entry.kind) {
    case 'finding': {
      if (stageDef.verdicts && !stageDef.verdicts.includes(entry.verdict)) bad(`“${stageDef.title}”环节不能作出这一结论。`);
      const wanted = (def.criteria?.items ?? []).map((c) => c.key);
      const given = entry.criteria.map((c) => c.key);
      if (wanted.some((k) => !given.includes(k)) || entry.criteria.some((c) => !c.finding.trim())) bad('请逐项填写核实情况。');
      outcomesOk(entry.verdict, entry.outcomes, entry.note);
      return;
    }
    case 'meeting':
      if (entry.attendees.length === 0) bad('请填写参加集体研究的人员。');
      if (entry.minutes.length === 0) bad('请附上集体研究的会议纪要。');
      outcomesOk(entry.verdict, entry.outcomes, entry.note);
      return;
    case 'answer':
      if (!entry.documentNumber.trim()) bad('请填写答复文号。');
      outcomesOk(entry.verdict, entry.outcomes, entry.note);
      return;
    case 'submission':
      if (!entry.documentNumber.trim()) bad('请填写呈报文号。');
      return;
    case 'approval':
      if (entry.outcomes) {
        const count = def.outcomes?.items.length ?? 0;
        if (count === 0) bad('这一环节没有可调整的处理方式。');
        if (entry.outcomes.length === 0 || entry.outcomes.some((i) => !Number.isInteger(i) || i < 0 || i >= count)) bad('调整后的处理方式不在可选范围内。');
        if (entry.stance !== 'agree') bad('不同意时不能调整处理方式，请写明理由退回重新核实。');
      }
      return;
    default:
      return;
  }
}
