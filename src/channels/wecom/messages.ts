import { PlatformApiError } from '../../errors';
import type { Card, CardButton, OutboundMessage } from '../port';

const MAX_BUTTONS = 6;
const MAX_HORIZONTAL = 6;
const MAX_TASK_ID_BYTES = 128;

/**
 * WeCom task ids allow only letters, digits and `_-@`, up to 128 bytes. Other bytes of our card id
 * are written `@xx` (and `@` itself `@40`), so a task id maps back to exactly one card id without
 * keeping a table; ids that are already valid and contain no `@` go through unchanged.
 */
export function taskIdOf(cardId: string): string {
  const taskId = [...Buffer.from(cardId, 'utf8')]
    .map((byte) => (/[A-Za-z0-9_-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `@${byte.toString(16).padStart(2, '0')}`))
    .join('');
  if (taskId.length > MAX_TASK_ID_BYTES) {
    throw new PlatformApiError('wecom', `card id is too long for a WeCom task_id (${taskId.length} > ${MAX_TASK_ID_BYTES} bytes)`, undefined, true);
  }
  return taskId;
}

export function cardIdOf(taskId: string): string {
  if (!taskId.includes('@')) return taskId;
  const bytes: number[] = [];
  for (let i = 0; i < taskId.length; i++) {
    const escaped = taskId[i] === '@' ? /^[0-9a-f]{2}$/.exec(taskId.slice(i + 1, i + 3)) : null;
    if (escaped) {
      bytes.push(parseInt(escaped[0], 16));
      i += 2;
    } else {
      bytes.push(taskId.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

// WeCom styles are 1 to 4 with 1 the default; its documentation shows them only as a picture, so
// which number looks like a warning is to be confirmed on a device.
const BUTTON_STYLE: Record<NonNullable<CardButton['style']>, number> = { primary: 1, default: 2, danger: 3 };

function buttonInteraction(card: Card): Record<string, unknown> {
  if (card.buttons.length > MAX_BUTTONS) {
    throw new PlatformApiError('wecom', `a WeCom card holds at most ${MAX_BUTTONS} buttons, this one has ${card.buttons.length}`, undefined, true);
  }
  const fields = card.fields ?? [];
  // Fields beyond what the horizontal list shows are kept as lines of the sub-title, not dropped.
  const overflow = fields.slice(MAX_HORIZONTAL).map((f) => `${f.label}：${f.value}`);
  const subTitle = [card.description, ...overflow].filter((line): line is string => Boolean(line)).join('\n');
  return {
    card_type: 'button_interaction',
    main_title: { title: card.title },
    ...(subTitle ? { sub_title_text: subTitle } : {}),
    ...(fields.length > 0
      ? { horizontal_content_list: fields.slice(0, MAX_HORIZONTAL).map((f) => ({ type: 0, keyname: f.label, value: f.value })) }
      : {}),
    task_id: taskIdOf(card.cardId),
    button_list: card.buttons.map((b) => ({ type: 0, text: b.label, style: BUTTON_STYLE[b.style ?? 'default'], key: b.key })),
  };
}

/** A card without buttons cannot be a button_interaction card; it is shown as markdown instead. */
function cardAsMarkdown(card: Card): string {
  return [`**${card.title}**`, card.description, ...(card.fields ?? []).map((f) => `> ${f.label}：${f.value}`)]
    .filter((line): line is string => Boolean(line))
    .join('\n');
}

/**
 * The message/send body for one member. cardUpdate is not a send and is handled by the sender. The
 * same message gives the same bytes every time (nothing time-dependent, keys in a fixed order), so
 * that WeCom's duplicate check, when `duplicateCheckSeconds` asks for it, recognises a resend.
 */
export function sendBody(
  agentId: number,
  toUser: string,
  message: Exclude<OutboundMessage, { kind: 'cardUpdate' }>,
  duplicateCheckSeconds = 0,
): Record<string, unknown> {
  const base = { touser: toUser, agentid: agentId };
  const check = duplicateCheckSeconds > 0 ? { enable_duplicate_check: 1, duplicate_check_interval: duplicateCheckSeconds } : {};
  switch (message.kind) {
    case 'text':
      return { ...base, msgtype: 'text', text: { content: message.text }, ...check };
    case 'markdown':
      return { ...base, msgtype: 'markdown', markdown: { content: message.markdown }, ...check };
    case 'card':
      return message.card.buttons.length === 0
        ? { ...base, msgtype: 'markdown', markdown: { content: cardAsMarkdown(message.card) }, ...check }
        : { ...base, msgtype: 'template_card', template_card: buttonInteraction(message.card), ...check };
  }
}
