import type { Card, CardField, OutboundMessage } from '../../channels/port';
import { zoneDate } from '../../clock';
import { stageButtons } from './kinds';
import type { CaseRecord, StageDefinition, StageRecord, WorkflowDefinition } from './types';

export function stageCardId(stage: Pick<StageRecord, 'id'>): string {
  return `wf-st${stage.id}`;
}

/** 已同意 · 刘洋 · 11月27日: what every copy of a decided card shows instead of its buttons. */
export function closedLabel(verb: string, deciderName: string, at: Date): string {
  const [, month, day] = zoneDate(at).split('-').map(Number);
  return `${verb} · ${deciderName} · ${month}月${day}日`;
}

export function receiptCardId(c: Pick<CaseRecord, 'id'>): string {
  return `wf-rcpt${c.id}`;
}

/** What an applicant gets on submitting: the number, the route and why, and 催办 / 撤回 buttons. */
export function receiptCard(
  c: Pick<CaseRecord, 'id' | 'number'>,
  title: string,
  route: { title: string; assignee?: { name: string }; recusal?: string }[],
  why = '',
): OutboundMessage {
  const path = route.map((r) => `${r.title}（${r.assignee?.name ?? '待补充名册'}）`).join(' → ');
  const recusals = route.flatMap((r) => (r.recusal ? [`\n${r.title}：${r.recusal}。`] : [])).join('');
  return {
    kind: 'card',
    card: {
      cardId: receiptCardId(c),
      title: `已提交${title}，编号 ${c.number}`,
      description: `审批路径：${path}。${recusals}${why ? `\n${why}` : ''}\n每一步有进展都会通知您；在第一位审批人作出决定前可以撤回。`,
      buttons: [
        { key: `wfc:${c.id}:remind`, label: '催办' },
        { key: `wfc:${c.id}:withdraw`, label: '撤回申请', style: 'danger' },
      ],
    },
  };
}

/** The plain decision buttons, for a stage whose preliminaries (a 集体会审) are done. */
export function decisionButtons(stage: Pick<StageRecord, 'id'>): Card['buttons'] {
  return [
    { key: `wfs:${stage.id}:approve`, label: '同意', style: 'primary' },
    { key: `wfs:${stage.id}:reject`, label: '不同意', style: 'danger' },
    { key: `wfs:${stage.id}:return`, label: '退回补充' },
  ];
}

/** Stages that record what happened (a meeting, a submission, an answer) rather than decide. */
const RECORDS: StageDefinition['kind'][] = ['meeting', 'submission', 'answer'];

/** What the card asks of its decider, by the stage's kind. */
const ASKS: Record<StageDefinition['kind'], string> = {
  opinion: '请提出意见（意见写入审批表，不论同意与否，申请都将送下一环节）',
  jointReview: '请组织集体会审，会审意见齐后填写会审意见',
  finding: '请调查核实并提出认定意见',
  approval: '请审核认定意见：同意的作出批复，可调整处理方式；不同意的写明理由，退回重新核实',
  meeting: '请在集体研究后登记会议日期、参加人员、明确意见和会议纪要',
  signature: '请签署意见',
  submission: '请呈报后登记呈报日期和文号',
  answer: '收到答复后请登记答复结论和文号',
};

/**
 * A stage's card: the case, what earlier stages recorded (the unit's opinion on the 纪工委's
 * card, the finding on the approver's), and the buttons of the stage's kind.
 */
export function approvalCard(
  def: WorkflowDefinition,
  stageDef: StageDefinition,
  c: CaseRecord,
  stage: StageRecord,
  applicantName: string,
  earlier: CardField[],
  note = '',
): OutboundMessage {
  return {
    kind: 'card',
    card: {
      cardId: stageCardId(stage),
      title: `${def.title}待您${RECORDS.includes(stageDef.kind) ? '办理' : '审批'}：${stageDef.title}`,
      description: `编号 ${c.number}。${note ? `${note}\n` : ''}${ASKS[stageDef.kind]}。依据：${stageDef.basis}。`,
      fields: [...def.summarize(c, applicantName), ...earlier],
      buttons: stageButtons(stageDef, stage.id),
    },
  };
}
