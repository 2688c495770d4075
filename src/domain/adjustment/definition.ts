import type { Role } from '../../roster/types';

/**
 * 能上能下办法 第十二条: an adjustment proceeds 考察核实 → 提出建议 → 组织决定 → 谈话. Declared as
 * data, stage by stage, so that the chain can move onto the workflow machinery of the 容错 chain
 * (src/domain/workflow) once that takes stages of these kinds; until then AdjustmentCases runs it.
 */
export const STAGES = ['inspection', 'proposal', 'decision', 'talk'] as const;
export type StageKey = (typeof STAGES)[number];

export interface ProcedureStage {
  key: StageKey;
  title: string;
  /** Who records the stage. 组织决定 is taken by the 党（工）委 (or above, 建议上级调整); 组织人事部门 records it. */
  role: Role;
  /** The dialogue that records it. */
  dialogue: string;
  basis: string;
}

export const ADJUSTMENT_PROCEDURE: readonly ProcedureStage[] = [
  { key: 'inspection', title: '考察核实', role: 'personnelOfficer', dialogue: 'adjustmentInspection', basis: '《能上能下办法》第十二条“考察核实”' },
  { key: 'proposal', title: '提出建议', role: 'personnelOfficer', dialogue: 'adjustmentProposal', basis: '《能上能下办法》第十二条“提出建议”' },
  { key: 'decision', title: '组织决定', role: 'personnelOfficer', dialogue: 'adjustmentDecision', basis: '《能上能下办法》第十二条“组织决定”' },
  { key: 'talk', title: '谈话', role: 'personnelOfficer', dialogue: 'adjustmentTalk', basis: '《能上能下办法》第十二条“谈话”' },
];

export const stageOf = (key: StageKey): ProcedureStage => ADJUSTMENT_PROCEDURE.find((s) => s.key === key)!;

/** The stage after `key`, or `done`. */
export function nextStage(key: StageKey): StageKey | 'done' {
  const i = STAGES.indexOf(key);
  return i + 1 < STAGES.length ? STAGES[i + 1] : 'done';
}
