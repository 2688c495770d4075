import type { Card, OutboundMessage } from '../../channels/port';
import { zoneDate } from '../../clock';
import type { CaseRecord, Decision, StageDefinition, StageRecord, WorkflowDefinition } from './types';

export const DECISION_WORDS: Record<Decision, string> = { approve: '同意', reject: '不同意', return: '退回补充' };

export function stageCardId(stage: Pick<StageRecord, 'id'>): string {
  return `wf-st${stage.id}`;
}

/** 已同意 · 刘洋 · 11月27日: what every copy of a decided card shows instead of its buttons. */
export function closedLabel(decision: Decision, deciderName: string, at: Date): string {
  const [, month, day] = zoneDate(at).split('-').map(Number);
  const verb = decision === 'approve' ? '已同意' : decision === 'reject' ? '不同意' : '已退回补充';
  return `${verb} · ${deciderName} · ${month}月${day}日`;
}

export function receiptCardId(c: Pick<CaseRecord, 'id'>): string {
  return `wf-rcpt${c.id}`;
}

/** What an applicant gets on submitting: the number, the route, and 催办 / 撤回 buttons. */
export function receiptCard(c: Pick<CaseRecord, 'id' | 'number'>, title: string, route: { title: string; assignee?: { name: string } }[]): OutboundMessage {
  const path = route.map((r) => `${r.title}（${r.assignee?.name ?? '待补充名册'}）`).join(' → ');
  return {
    kind: 'card',
    card: {
      cardId: receiptCardId(c),
      title: `已提交${title}，编号 ${c.number}`,
      description: `审批路径：${path}。\n每一步有进展都会通知您；在第一位审批人作出决定前可以撤回。`,
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

export function approvalCard(def: WorkflowDefinition, stageDef: StageDefinition, c: CaseRecord, stage: StageRecord, applicantName: string): OutboundMessage {
  const key = (op: string) => `wfs:${stage.id}:${op}`;
  const buttons: Card['buttons'] = stageDef.jointReview
    ? [{ key: key('setup'), label: '组织集体会审', style: 'primary' }, { key: key('return'), label: '退回补充' }]
    : stageDef.decisionDialogue
    ? [{ key: key('decide'), label: stageDef.decisionLabel ?? '开始审核', style: 'primary' }, { key: key('return'), label: '退回补充' }]
    : decisionButtons(stage);
  return {
    kind: 'card',
    card: {
      cardId: stageCardId(stage),
      title: `${def.title}待您审批：${stageDef.title}`,
      description: `编号 ${c.number}。依据：${stageDef.basis}。点选后需填写意见才算作出决定。`,
      fields: def.summarize(c, applicantName),
      buttons,
    },
  };
}
