import { z } from 'zod';
import type { ClickEvent, InboundEvent } from '../port';
import { CallbackRefused } from '../shared/callbackRefused';
import { cardIdOf } from './messages';

export interface Inbound {
  event: InboundEvent;
  dedupeKey: string;
}

/** The latest instant a Date holds (year 275760); a later createAt is not a time, and would not print. */
const LAST_TIME_MS = 8.64e15;

const robotMessage = z.object({
  msgId: z.string().min(1).max(128),
  msgtype: z.string().min(1),
  createAt: z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,16}$/)]).refine((at) => Number(at) <= LAST_TIME_MS, 'not a time'),
  senderStaffId: z.string().max(64).optional(),
  text: z.object({ content: z.string() }).optional(),
  content: z.unknown().optional(),
});

const mediaContent = z.object({ downloadCode: z.string().min(1).optional(), pictureDownloadCode: z.string().min(1).optional(), fileName: z.string().optional() });
const richTextContent = z.object({ richText: z.array(z.object({ text: z.string().optional() })) });

const MEDIA_KINDS = { picture: 'image', file: 'file', video: 'video' } as const;

/** Stream deliveries have carried `content` both as an object and as a JSON string. */
function contentOf(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/**
 * Maps a robot message (the HTTP callback's body, or a stream message's data) to the internal
 * event, deduplicated on msgId. Undefined means a message the bot does not act on (voice,
 * or a sender outside the organisation, who has no staff id): acknowledged, not recorded. An
 * @-mention in a group is taken like a direct message and answered one to one: dialogues are
 * personal.
 */
export function robotInbound(payload: unknown): Inbound | undefined {
  const parsed = robotMessage.safeParse(payload);
  if (!parsed.success) throw new CallbackRefused(400, `robot message is malformed (${parsed.error.issues[0].path.join('.') || 'body'})`);
  const message = parsed.data;
  if (!message.senderStaffId) return undefined;
  const base = { channel: 'dingtalk' as const, channelUserId: message.senderStaffId, sentAt: new Date(Number(message.createAt)).toISOString(), messageId: message.msgId };
  const dedupeKey = `msg:${message.msgId}`;
  const content = contentOf(message.content);

  if (message.msgtype === 'text') return { event: { ...base, kind: 'text', text: (message.text?.content ?? '').trim() }, dedupeKey };
  if (message.msgtype === 'richText') {
    // Pictures inside rich text are left out: the typed words are what the dialogue asks for.
    const rich = richTextContent.safeParse(content);
    const text = rich.success ? rich.data.richText.map((part) => part.text ?? '').join('').trim() : '';
    return text ? { event: { ...base, kind: 'text', text }, dedupeKey } : undefined;
  }
  if (message.msgtype === 'picture' || message.msgtype === 'file' || message.msgtype === 'video') {
    const media = mediaContent.safeParse(content);
    const mediaId = media.success ? (media.data.downloadCode ?? media.data.pictureDownloadCode) : undefined;
    if (!mediaId) throw new CallbackRefused(400, `${message.msgtype} message lacks content.downloadCode`);
    const fileName = media.success ? media.data.fileName : undefined;
    return {
      event: { ...base, kind: 'attachment', mediaKind: MEDIA_KINDS[message.msgtype], mediaId, ...(fileName ? { fileName } : {}) },
      dedupeKey,
    };
  }
  return undefined;
}

const cardCallback = z.object({
  type: z.string().optional(),
  outTrackId: z.string().min(1).max(256),
  userId: z.string().min(1).max(64),
  content: z.string().optional(),
  value: z.string().optional(),
});

const action = z.object({ action: z.string().min(1).max(256) });
/**
 * The button's parameters: under cardPrivateData.params as the card platform sends them, or beside
 * cardPrivateData, as one of DingTalk's own tutorials shows the callback.
 */
const clickContent = z.union([
  z.object({ cardPrivateData: z.object({ params: action }) }).transform((c) => c.cardPrivateData.params.action),
  z.object({ params: action }).transform((c) => c.params.action),
]);

export interface CardClick {
  event: ClickEvent;
  outTrackId: string;
}

/**
 * Maps a card click (HTTP callback body or stream data) to a ClickEvent: who clicked is `userId`,
 * the card is `outTrackId`, the button its `action` parameter; `sentAt` is DingTalk's time of the
 * callback. Undefined for callbacks that are not clicks (data source pulls). A click whose action
 * cannot be found is refused (400), never answered 200 and dropped.
 */
export function cardInbound(payload: unknown, sentAt: Date): CardClick | undefined {
  const parsed = cardCallback.safeParse(payload);
  if (!parsed.success) throw new CallbackRefused(400, `card callback is malformed (${parsed.error.issues[0].path.join('.') || 'body'})`);
  const callback = parsed.data;
  if (callback.type !== undefined && callback.type !== 'actionCallback') return undefined;
  const content = clickContent.safeParse(contentOf(callback.content ?? callback.value));
  if (!content.success) throw new CallbackRefused(400, 'card callback carries no action (expected content.cardPrivateData.params.action or content.params.action)');
  return {
    event: { kind: 'click', channel: 'dingtalk', channelUserId: callback.userId, sentAt: sentAt.toISOString(), cardId: cardIdOf(callback.outTrackId), action: content.data },
    outTrackId: callback.outTrackId,
  };
}
