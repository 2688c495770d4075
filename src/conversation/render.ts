import type { Card, OutboundMessage } from '../channels/port';
import { zoneDate } from '../clock';
import { applicableSteps, stepsSettled, type Step, type Values } from './dialogue';
import type { Draft } from './draftStore';
import type { FieldContext } from './field';
import type { AnyDialogue, Session } from './session';

export const SKIP_WORD = '跳过';

export function formatValue(step: Step, value: unknown): string {
  if (value === null || value === undefined) return '（未填写）';
  return (step.field.format as (v: unknown) => string)(value);
}

/** What a question's card shows once answered: 已选择：否; a list finished empty (files, names) reads 已完成，未添加. */
export function answeredLabel(step: Step, value: unknown): string {
  return Array.isArray(value) && value.length === 0 ? '已完成，未添加' : `已选择：${formatValue(step, value)}`;
}

/**
 * A step's question, always as text (a phone shows a card's title on one or two lines); a step
 * with buttons is followed by a card that holds only the buttons.
 */
export async function question(session: Session, dialogue: AnyDialogue, step: Step, ctx: FieldContext, note?: string): Promise<OutboundMessage> {
  const draft = session.draft!;
  const steps = applicableSteps(dialogue, draft.values);
  // The total only once it cannot change: a later answer may still add or remove steps.
  const total = stepsSettled(dialogue, draft.values) ? `/${steps.length}` : '';
  const position = `${dialogue.title} · 第 ${steps.indexOf(step) + 1}${total} 步`;
  const listing = await step.field.listing?.(ctx);
  const buttons = step.field.buttons ?? step.field.buttonsFor?.(ctx);
  const lines = [
    note,
    step.field.prompt,
    listing,
    step.field.optional && !buttons ? `（可选，没有请回复“${SKIP_WORD}”）` : undefined,
  ].filter((l): l is string => !!l);
  const text: OutboundMessage = { kind: 'text', text: `【${position}】\n${lines.join('\n')}` };
  if (!buttons) return text;
  session.send(text);
  return openCard(session, {
    title: `请选择：${step.label}`,
    description: '请点选下方按钮，或直接回复。',
    buttons: buttons.map((label, index) => ({ key: `dlg:${draft.id}:opt:${index}`, label })),
  });
}

/** Sends a card as the draft's one card with live buttons. */
function openCard(session: Session, card: Omit<Card, 'cardId'>): OutboundMessage {
  const cardId = session.nextCardId();
  session.draft!.openCardId = cardId;
  return { kind: 'card', card: { cardId, ...card } };
}

export function clarifyCard(session: Session, questionText: string, options: { label: string }[]): OutboundMessage {
  const draft = session.draft!;
  const numbered = options.map((o, i) => `${i + 1}. ${o.label}`).join('\n');
  if (options.length > 6) return { kind: 'text', text: `${questionText}\n${numbered}\n请回复序号。` };
  session.send({ kind: 'text', text: `${questionText}\n${numbered}` });
  return openCard(session, {
    title: '请选择一项',
    description: '请点选，或回复序号。',
    buttons: options.map((o, index) => ({ key: `dlg:${draft.id}:opt:${index}`, label: o.label.slice(0, 24) })),
  });
}

/** 申请人 / 职务 / 申请时间 as the paper form will print them, for a dialogue whose record prints one. */
function formHeader(session: Session): string[] {
  const { person, event } = session.turn;
  return [`申请人：${person.name}`, `职务：${person.post}`, `申请时间：${zoneDate(new Date(event.sentAt))}`];
}

/**
 * The confirmation: every answer in a message (labels, not option numbers; nothing cut), then a
 * card that only asks 提交 / 修改 / 取消, so what the person checks is never squeezed into a card.
 */
export function summaryCard(session: Session, dialogue: AnyDialogue, values: Values): OutboundMessage {
  const draft = session.draft!;
  const answers = applicableSteps(dialogue, values).map((s, i) => {
    const value = formatValue(s, values[s.key]);
    return value.includes('\n') ? `${i + 1}. ${s.label}：\n${value}` : `${i + 1}. ${s.label}：${value}`;
  });
  const head = dialogue.formHeader ? formHeader(session) : [];
  session.send({ kind: 'text', text: [`请核对${dialogue.title}：`, ...head, ...answers].join('\n') });
  return openCard(session, {
    title: `请确认${dialogue.title}`,
    description: '内容见上一条消息。回复“提交”确认；回复“修改”加序号（如“修改2”）更改某一项；回复“取消”放弃。',
    buttons: [
      { key: `dlg:${draft.id}:submit`, label: '提交', style: 'primary' },
      { key: `dlg:${draft.id}:edit`, label: '修改' },
      { key: `dlg:${draft.id}:cancel`, label: '取消', style: 'danger' },
    ],
  });
}

export function editList(dialogue: AnyDialogue, draft: Draft): string {
  const steps = applicableSteps(dialogue, draft.values);
  return `要修改哪一项？请回复序号：\n${steps.map((s, i) => `${i + 1}. ${s.label}`).join('\n')}\n回复“返回”回到确认。`;
}

export function stuckCard(session: Session, stepLabel: string): OutboundMessage {
  const draft = session.draft!;
  return openCard(session, {
    title: '这一步好像遇到了困难',
    description: `“${stepLabel}”已经连续三次没能识别您的回答。您可以重新填写这一步、取消本次填写，或请党群工作部的同志协助。`,
    buttons: [
      { key: `dlg:${draft.id}:retry`, label: '重新填写', style: 'primary' },
      { key: `dlg:${draft.id}:cancel`, label: '取消' },
      { key: `dlg:${draft.id}:contact`, label: '联系管理员' },
    ],
  });
}

export function confirmCancelCard(session: Session, answered: number): OutboundMessage {
  const draft = session.draft!;
  return openCard(session, {
    title: '确定要取消吗？',
    description: `您已填写 ${answered} 项，取消后这些内容不会保存。`,
    buttons: [
      { key: `dlg:${draft.id}:cancelYes`, label: '确定取消', style: 'danger' },
      { key: `dlg:${draft.id}:cancelNo`, label: '继续填写', style: 'primary' },
    ],
  });
}

export function menuCard(cardId: string, name: string, dialogues: AnyDialogue[]): OutboundMessage {
  const lines = dialogues.map((d, i) => `${i + 1}. ${d.title}：发送“${d.triggers[0]}”`);
  return {
    kind: 'card',
    card: {
      cardId,
      title: `${name}，您好！我是“担当”助手`,
      description: ['我可以帮您办理：', ...lines, '随时可发送：我的申请、我的待办、帮助、取消、上一步、菜单'].join('\n'),
      buttons: [
        ...dialogues.slice(0, 4).map((d) => ({ key: `menu:${d.name}`, label: d.triggers[0] })),
        { key: 'menu:mine', label: '我的申请' },
        { key: 'menu:todo', label: '我的待办' },
      ],
    },
  };
}
