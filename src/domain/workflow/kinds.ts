import type { CardButton } from '../../channels/port';
import type { StageDefinition, StageKind, WorkflowDefinition } from './types';

/**
 * What each kind of stage offers its decider: the buttons of its card and the dialogue each one
 * starts. Buttons are `wfs:<stageId>:<op>`; the ops of cards sent before the stage kinds existed
 * (approve, reject, return, decide, setup) still mean what they meant.
 */
interface KindBehaviour {
  buttons: { op: string; label: string; style?: CardButton['style'] }[];
  /** The dialogue each op starts; `finding` means the stage's own (its criteria are the chain's own). */
  dialogues: Record<string, string>;
  /** Waiting on an outside body (the 市纪委监委): not reminded, not 催办'd. */
  external?: boolean;
}

const RETURN = { op: 'return', label: '退回补充' } as const;

export const STAGE_KINDS: Record<StageKind, KindBehaviour> = {
  opinion: {
    buttons: [{ op: 'approve', label: '同意', style: 'primary' }, { op: 'reject', label: '不同意', style: 'danger' }, RETURN],
    dialogues: { approve: 'decisionOpinion', reject: 'decisionOpinion', return: 'decisionOpinion' },
  },
  jointReview: {
    buttons: [{ op: 'setup', label: '组织集体会审', style: 'primary' }, RETURN],
    dialogues: { setup: 'jointReviewSetup', approve: 'decisionOpinion', reject: 'decisionOpinion', return: 'decisionOpinion' },
  },
  finding: {
    buttons: [{ op: 'decide', label: '开始认定', style: 'primary' }, RETURN],
    dialogues: { decide: 'finding', approve: 'finding', reject: 'finding', return: 'decisionOpinion' },
  },
  approval: {
    buttons: [{ op: 'approve', label: '同意', style: 'primary' }, { op: 'reject', label: '不同意', style: 'danger' }, RETURN],
    dialogues: { approve: 'approvalDecision', reject: 'approvalDecision', return: 'decisionOpinion' },
  },
  meeting: { buttons: [{ op: 'record', label: '登记集体研究', style: 'primary' }], dialogues: { record: 'meetingRecord' } },
  signature: { buttons: [{ op: 'approve', label: '签署意见', style: 'primary' }], dialogues: { approve: 'decisionOpinion' } },
  submission: { buttons: [{ op: 'record', label: '登记呈报', style: 'primary' }], dialogues: { record: 'submissionRecord' } },
  answer: { buttons: [{ op: 'record', label: '登记答复', style: 'primary' }], dialogues: { record: 'answerRecord' }, external: true },
  // What a 登记 records is the stage's own: its dialogue (StageDefinition.dialogue) is its one button.
  record: { buttons: [], dialogues: {} },
};

/**
 * Whether the applicant follows the case: is told of each step, may 催办, and may be asked to
 * 补充材料 (not a cadre under 考察核实, who hears the decision at its 谈话).
 */
export function applicantFollows(def: Pick<WorkflowDefinition, 'applicant'>): boolean {
  return def.applicant?.told ?? true;
}

/**
 * The buttons of a stage's card. A stage with a dialogue of its own (a finding's investigation,
 * a cadre's wishes) is started by one button, labelled by the stage; a finding may also return,
 * when its chain returns to the applicant at all.
 */
export function stageButtons(def: Pick<WorkflowDefinition, 'applicant'>, stageDef: StageDefinition, stageId: number): CardButton[] {
  if (stageDef.dialogue && stageDef.kind !== 'finding') return [{ key: `wfs:${stageId}:decide`, label: stageDef.label ?? '开始办理', style: 'primary' }];
  const buttons = STAGE_KINDS[stageDef.kind].buttons.filter((b) => b.op !== 'return' || applicantFollows(def));
  return buttons.map((b) => ({
    key: `wfs:${stageId}:${b.op}`,
    label: b.op === 'decide' && stageDef.label ? stageDef.label : b.label,
    ...(b.style ? { style: b.style } : {}),
  }));
}

/** The dialogue a tap of `op` on this stage's card starts, or undefined when the op is not the stage's. */
export function stageDialogue(def: Pick<WorkflowDefinition, 'applicant'>, stageDef: StageDefinition, op: string): string | undefined {
  if (op === 'return' && !applicantFollows(def)) return undefined;
  if (stageDef.dialogue && stageDef.kind !== 'finding') return op === 'decide' ? stageDef.dialogue : undefined;
  const name = STAGE_KINDS[stageDef.kind].dialogues[op];
  return name === 'finding' ? stageDef.dialogue : name;
}

export function isExternal(stageDef: StageDefinition): boolean {
  return STAGE_KINDS[stageDef.kind].external === true;
}
