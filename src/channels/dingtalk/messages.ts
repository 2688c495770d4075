import { createHash } from 'node:crypto';
import { PlatformApiError } from '../../errors';
import type { Card, OutboundMessage } from '../port';

export const MAX_BUTTONS = 6;
/** DingTalk takes at most 1 KB for each value of a card's data. */
const MAX_VALUE_BYTES = 1024;
const TRACK_SUFFIX = /~[0-9a-f]{12}$/;

/**
 * One card instance per recipient: the same card (a blocked-stage notice, say) can go to several
 * people, and DingTalk refuses a second instance under one outTrackId. The suffix depends only on
 * the recipient, so a retried send and the later update find the same instance.
 */
export function outTrackIdOf(cardId: string, userId: string): string {
  return `${cardId}~${createHash('sha256').update(userId).digest('hex').slice(0, 12)}`;
}

export function cardIdOf(outTrackId: string): string {
  return outTrackId.replace(TRACK_SUFFIX, '');
}

/** Cuts at a character boundary so the value, with its ellipsis, stays within DingTalk's limit. */
function bounded(text: string): string {
  if (Buffer.byteLength(text) <= MAX_VALUE_BYTES) return text;
  let cut = '';
  for (const ch of text) {
    if (Buffer.byteLength(cut + ch) > MAX_VALUE_BYTES - 3) break;
    cut += ch;
  }
  return `${cut}…`;
}

export function fieldsMarkdown(card: Card): string {
  return (card.fields ?? []).map((f) => `**${f.label}**：${f.value}`).join('\n');
}

/**
 * The card template's data. The template (built once in DingTalk's card platform, see
 * .env.example) has: `title`, `description` and `fields` (Markdown), six button slots
 * `button1Text` … `button6Text` with `buttonNKey`, `buttonNStyle` (primary | danger | default)
 * and `buttonNVisible`, whose click is a 回传请求 with the parameter `action` = `buttonNKey`,
 * `closed` / `closedLabel`: when closed the buttons are greyed out and the label shown instead, and
 * the link slot `linkText` / `linkUrl` / `linkVisible` (查看完整材料, the case's page).
 */
export function cardParams(card: Card): Record<string, string> {
  if (card.buttons.length > MAX_BUTTONS) {
    throw new PlatformApiError('dingtalk', `a DingTalk card here holds at most ${MAX_BUTTONS} buttons, this one has ${card.buttons.length}`, undefined, true);
  }
  const params: Record<string, string> = {
    title: bounded(card.title),
    description: bounded(card.description ?? ''),
    fields: bounded(fieldsMarkdown(card)),
    closed: 'false',
    closedLabel: '',
  };
  params.linkText = card.link?.label ?? '';
  params.linkUrl = card.link?.url ?? '';
  params.linkVisible = String(card.link !== undefined);
  for (let slot = 1; slot <= MAX_BUTTONS; slot++) {
    const button = card.buttons[slot - 1];
    params[`button${slot}Text`] = button?.label ?? '';
    params[`button${slot}Key`] = button?.key ?? '';
    params[`button${slot}Style`] = button?.style ?? 'default';
    params[`button${slot}Visible`] = String(button !== undefined);
  }
  return params;
}

export function closedParams(closedLabel: string): Record<string, string> {
  return { closed: 'true', closedLabel: bounded(closedLabel) };
}

/** The first line, without Markdown marks: what the chat list shows for a Markdown message. */
function headline(markdown: string): string {
  const line = markdown.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.replace(/[#*>`_]/g, '').trim().slice(0, 30) || '消息';
}

function cardAsMarkdown(card: Card): string {
  return [`**${card.title}**`, card.description, fieldsMarkdown(card), card.link ? `[${card.link.label}](${card.link.url})` : undefined]
    .filter((line): line is string => Boolean(line))
    .join('\n\n');
}

/** msgKey and msgParam of a one-to-one robot message; a card without buttons is sent as Markdown. */
export function robotMessage(message: Exclude<OutboundMessage, { kind: 'cardUpdate' }>): { msgKey: string; msgParam: string } {
  switch (message.kind) {
    case 'text':
      return { msgKey: 'sampleText', msgParam: JSON.stringify({ content: message.text }) };
    case 'markdown':
      return { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: headline(message.markdown), text: message.markdown }) };
    case 'card':
      return { msgKey: 'sampleMarkdown', msgParam: JSON.stringify({ title: message.card.title.slice(0, 30), text: cardAsMarkdown(message.card) }) };
  }
}
