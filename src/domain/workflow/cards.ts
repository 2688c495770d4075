import type { Card, CardField, CardLink, OutboundMessage } from '../../channels/port';
import { zoneDate } from '../../clock';
import { zoneConclusion } from './chain';
import { conclusionText, entryVerb } from './describe';
import { fullRecordText } from './fullRecord';
import type { HistoryItem } from './history';
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

/**
 * What an applicant gets on submitting: a message with the number, the whole route and why, then
 * a compact card with 催办 / 撤回 and the case's page.
 */
export function receiptMessages(
  c: Pick<CaseRecord, 'id' | 'number'>,
  title: string,
  route: { title: string; assignee?: { name: string }; recusal?: string }[],
  why = '',
  link?: CardLink,
): OutboundMessage[] {
  const path = route.map((r) => `${r.title}（${r.assignee?.name ?? '待补充名册'}）`).join(' → ');
  const recusals = route.flatMap((r) => (r.recusal ? [`${r.title}：${r.recusal}。`] : []));
  const first = route[0];
  return [
    { kind: 'text', text: [`已提交${title}，编号 ${c.number}。`, `审批路径：${path}。`, ...recusals, why].filter(Boolean).join('\n') },
    {
      kind: 'card',
      card: {
        cardId: receiptCardId(c),
        title: `已提交${title}`,
        description: '每一步有进展都会通知您；在第一位审批人作出决定前可以撤回。',
        fields: [
          { label: '编号', value: c.number },
          ...(first ? [{ label: '当前环节', value: `${first.title}（${first.assignee?.name ?? '待补充名册'}）` }] : []),
        ],
        buttons: [
          { key: `wfc:${c.id}:remind`, label: '催办' },
          { key: `wfc:${c.id}:withdraw`, label: '撤回申请', style: 'danger' },
        ],
        ...(link ? { link } : {}),
      },
    },
  ];
}

/** 退回补充: the approver's question in full, then a card whose one button starts the supplement. */
export function supplementRequest(c: Pick<CaseRecord, 'id' | 'number'>, stageId: number, stageTitle: string, asker: string, question: string, link?: CardLink): OutboundMessage[] {
  return [
    { kind: 'text', text: `${c.number} 需要您补充材料。${stageTitle}环节 ${asker} 的问题：${question}` },
    {
      kind: 'card',
      card: {
        cardId: `wf-sup${stageId}`,
        title: `${c.number} 需要您补充材料`,
        description: `${stageTitle}环节 ${asker} 退回补充（问题见上一条消息）。补充后将回到该环节。`,
        buttons: [{ key: `wfc:${c.id}:supplement`, label: '补充材料', style: 'primary' }],
        ...(link ? { link } : {}),
      },
    },
  ];
}

/** The plain decision buttons, for a stage whose preliminaries (a 集体会审) are done. */
export function decisionButtons(stage: Pick<StageRecord, 'id'>): Card['buttons'] {
  return [
    { key: `wfs:${stage.id}:approve`, label: '同意', style: 'primary' },
    { key: `wfs:${stage.id}:reject`, label: '不同意', style: 'danger' },
    { key: `wfs:${stage.id}:return`, label: '退回补充' },
  ];
}

/** Stages that record what happened (a meeting, a submission, an answer, a 登记) rather than decide. */
const RECORDS: StageDefinition['kind'][] = ['meeting', 'submission', 'answer', 'record'];

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
  record: '请办理后登记办理情况',
};

export interface ApprovalRequest {
  definition: WorkflowDefinition;
  stageDefinition: StageDefinition;
  case: CaseRecord;
  stage: StageRecord;
  applicantName: string;
  history: HistoryItem[];
  /** Why the stage is asked again (重新核实 after an approver disagreed). */
  note?: string;
  /** Lines about what the case cites (a 风险备案). */
  citations?: string[];
  link?: CardLink;
}

/**
 * What a stage's decider is sent: the whole record as a message (the form, every earlier opinion,
 * the 六看 and outcomes, the supplements, the files), then a compact card with the stage's
 * buttons, a few fields a phone shows whole, and the link to the case's page.
 */
export function approvalMessages(r: ApprovalRequest): OutboundMessage[] {
  const { definition: def, stageDefinition: stageDef, case: c } = r;
  const record = fullRecordText({
    definition: def,
    case: c,
    applicantName: r.applicantName,
    history: r.history,
    stage: { definition: stageDef, ask: ASKS[stageDef.kind], note: r.note },
    citations: r.citations,
    detailUrl: r.link?.url,
  });
  const current = stageDef.kind === 'finding' ? undefined : zoneConclusion(r.history.map((h) => h.stage));
  const last = r.history.at(-1);
  const supplements = ((c.form.supplements as unknown[] | undefined) ?? []).length;
  const fields: CardField[] = [
    ...def.headline(c, r.applicantName),
    ...(current ? [{ label: '认定意见', value: conclusionText(def, current) }] : []),
    // "刘洋 同意", "吴海燕 认定：予以容错免责": one colon, the keyname's.
    ...(last ? [{ label: '上一环节', value: `${last.signer} ${entryVerb(def, last.entry, last.definition).replace(/^已/, '')}` }] : []),
    ...(supplements > 0 ? [{ label: '补充材料', value: `已补充 ${supplements} 次，见上一条消息` }] : []),
  ];
  return [
    { kind: 'text', text: record },
    {
      kind: 'card',
      card: {
        cardId: stageCardId(r.stage),
        title: `${def.title}待您${RECORDS.includes(stageDef.kind) ? '办理' : '审批'}：${stageDef.title}`,
        description: `编号 ${c.number}。${r.note ? '重新核实。' : ''}${ASKS[stageDef.kind]}。完整材料见上一条消息。`,
        fields: fields.slice(0, 6),
        buttons: stageButtons(def, stageDef, r.stage.id),
        ...(r.link ? { link: r.link } : {}),
      },
    },
  ];
}
