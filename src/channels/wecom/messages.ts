import { PlatformApiError } from '../../errors';
import { cutAtPhrase } from '../fit';
import type { Card, CardButton, OutboundMessage } from '../port';

const MAX_BUTTONS = 6;
const MAX_TASK_ID_BYTES = 128;

/**
 * What a button_interaction card shows whole on a phone, as WeCom's documentation suggests:
 * main_title 26 characters, sub_title_text 112, six horizontal_content_list items whose keyname
 * is 5 and value 26 characters, jump_list titles 13. Cards are designed for these (the whole
 * record goes in the message before); the renderer still holds them, cutting at a phrase.
 */
export const WECOM_CARD_LIMITS = { title: 26, subTitle: 112, fields: 6, keyname: 5, value: 26, jumpTitle: 13 } as const;
const L = WECOM_CARD_LIMITS;

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
  const fields = (card.fields ?? []).slice(0, L.fields);
  return {
    card_type: 'button_interaction',
    main_title: { title: cutAtPhrase(card.title, L.title) },
    ...(card.description ? { sub_title_text: cutAtPhrase(card.description, L.subTitle) } : {}),
    ...(fields.length > 0
      ? { horizontal_content_list: fields.map((f) => ({ type: 0, keyname: Array.from(f.label).slice(0, L.keyname).join(''), value: cutAtPhrase(f.value, L.value) })) }
      : {}),
    ...(card.link
      ? { card_action: { type: 1, url: card.link.url }, jump_list: [{ type: 1, title: cutAtPhrase(card.link.label, L.jumpTitle), url: card.link.url }] }
      : {}),
    task_id: taskIdOf(card.cardId),
    button_list: card.buttons.map((b) => ({ type: 0, text: b.label, style: BUTTON_STYLE[b.style ?? 'default'], key: b.key })),
  };
}

/** A card without buttons cannot be a button_interaction card; it is shown as markdown instead. */
function cardAsMarkdown(card: Card): string {
  return [
    `**${card.title}**`,
    card.description,
    ...(card.fields ?? []).map((f) => `> ${f.label}：${f.value}`),
    card.link ? `[${card.link.label}](${card.link.url})` : undefined,
  ]
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
