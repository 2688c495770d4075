import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { InboundEvent } from '../port';
import { CallbackRefused } from './callbackCrypto';
import { cardIdOf } from './messages';

const CDATA = '__cdata';

/**
 * Entities stay unexpanded and values stay strings: MsgId exceeds 2^53 and must not become a
 * lossy number, and an entity declaration is refused before the parser ever sees it.
 */
const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  trimValues: true,
  cdataPropName: CDATA,
});

const DECLARATION = /<!(DOCTYPE|ENTITY)/i;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The five predefined entities and character references are all XML text may carry here. */
function unescapeText(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (whole, name: string) => {
    if (name.startsWith('#x')) return safeCodePoint(parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeCodePoint(parseInt(name.slice(1), 10), whole);
    return PREDEFINED[name];
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

export type XmlFields = Record<string, unknown>;

/** Parses `<xml>…</xml>` into its child elements, refusing anything else with 400. */
export function parseXml(xml: string, what: string): XmlFields {
  if (DECLARATION.test(xml)) throw new CallbackRefused(400, `${what} has a DOCTYPE or ENTITY declaration`);
  return flatXml(xml) ?? parseFully(xml, what);
}

/** The validator and the full parser: what the one-pass reader must agree with wherever it answers. */
export function parseFully(xml: string, what: string): XmlFields {
  if (XMLValidator.validate(xml) !== true) throw new CallbackRefused(400, `${what} is not well-formed XML`);
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(xml) as Record<string, unknown>;
  } catch {
    // Well-formed but beyond the parser's limits (elements nested hundreds deep): bad input, not our failure.
    throw new CallbackRefused(400, `${what} is nested too deeply`);
  }
  const root: unknown = parsed.xml;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new CallbackRefused(400, `${what} has no <xml> root element`);
  return root as XmlFields;
}

const ROOT_OPEN = /\s*<xml>/y;
const ROOT_CLOSE = /\s*<\/xml>\s*$/y;
/** A child element holding one CDATA section, or text without markup or references. */
const CHILD = /\s*<([A-Za-z_][A-Za-z0-9_]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<&]*))<\/\1>/y;

/**
 * What every WeCom envelope and payload is, read in one pass: `<xml>` with distinct child
 * elements, each a CDATA section or plain text. The result is exactly what the full parser gives
 * for such a document; anything else (nested elements, attributes, references, a declaration,
 * a repeated name, or nothing well-formed) is undefined and left to the validator and the parser.
 */
function flatXml(xml: string): XmlFields | undefined {
  ROOT_OPEN.lastIndex = 0;
  if (!ROOT_OPEN.test(xml)) return undefined;
  const fields: XmlFields = {};
  let at = ROOT_OPEN.lastIndex;
  for (;;) {
    CHILD.lastIndex = at;
    const child = CHILD.exec(xml);
    if (!child) break;
    const [, name, cdata, text] = child;
    // A name that repeats, or that every object has (constructor, __proto__): the full parser's business.
    if (name in fields) return undefined;
    fields[name] = cdata !== undefined ? { [CDATA]: cdata } : text.trim();
    at = CHILD.lastIndex;
  }
  ROOT_CLOSE.lastIndex = at;
  if (!ROOT_CLOSE.test(xml) || Object.keys(fields).length === 0) return undefined;
  return fields;
}

/** The text of a child element, or undefined when it is absent, repeated or has children. */
export function field(fields: XmlFields, name: string): string | undefined {
  const value = fields[name];
  // Most values carry no reference at all: not worth a regular expression each.
  if (typeof value === 'string') return value.includes('&') ? unescapeText(value) : value;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const only = (value as Record<string, unknown>)[CDATA];
    if (typeof only === 'string' && Object.keys(value).length === 1) return only;
    const parts = Object.entries(value);
    if (parts.length > 0 && parts.every(([key, part]) => key === CDATA && (typeof part === 'string' || Array.isArray(part)))) {
      return parts.flatMap(([, part]) => part as string | string[]).join('');
    }
  }
  return undefined;
}

export interface Inbound {
  event: InboundEvent;
  dedupeKey: string;
  /** Present on template-card clicks: the one-time code for update_template_card. */
  responseCode?: string;
  taskId?: string;
}

function required(fields: XmlFields, name: string): string {
  const value = field(fields, name);
  if (!value) throw new CallbackRefused(400, `callback lacks <${name}>`);
  return value;
}

/** WeCom userids are 1 to 64 bytes; a longer sender could never be answered (or stored as a recipient). */
const MAX_USERID_BYTES = 64;

/**
 * Maps a decrypted callback to the internal event and its dedupe key: `msg:<MsgId>` for messages,
 * sender + CreateTime + event + key + task for events (events have no MsgId). Undefined means a
 * kind the bot does not act on (voice, location, entering the app…): acknowledged, not recorded.
 */
export function toInbound(plaintext: string): Inbound | undefined {
  const fields = parseXml(plaintext, 'decrypted payload');
  const from = required(fields, 'FromUserName');
  if (Buffer.byteLength(from) > MAX_USERID_BYTES) throw new CallbackRefused(400, `FromUserName is longer than a WeCom userid (${MAX_USERID_BYTES} bytes)`);
  const createTime = required(fields, 'CreateTime');
  if (!/^\d{1,12}$/.test(createTime)) throw new CallbackRefused(400, 'CreateTime is not a unix time');
  const sentAt = new Date(Number(createTime) * 1000).toISOString();
  const base = { channel: 'wecom' as const, channelUserId: from, sentAt };
  const msgType = required(fields, 'MsgType');

  if (msgType === 'event') {
    const eventType = required(fields, 'Event');
    const eventKey = field(fields, 'EventKey') ?? '';
    const taskId = field(fields, 'TaskId') ?? '';
    if (eventType !== 'template_card_event' || !eventKey || !taskId) return undefined;
    return {
      event: { ...base, kind: 'click', cardId: cardIdOf(taskId), action: eventKey },
      dedupeKey: `evt:${from}:${createTime}:${eventType}:${eventKey}:${taskId}`,
      responseCode: field(fields, 'ResponseCode'),
      taskId,
    };
  }

  if (msgType !== 'text' && msgType !== 'image' && msgType !== 'video') return undefined;
  const messageId = required(fields, 'MsgId');
  const dedupeKey = `msg:${messageId}`;
  if (msgType === 'text') {
    return { event: { ...base, kind: 'text', messageId, text: field(fields, 'Content') ?? '' }, dedupeKey };
  }
  // WeCom delivers no documents to a self-built app: pictures and videos are the files a chat carries.
  return { event: { ...base, kind: 'attachment', messageId, mediaKind: msgType, mediaId: required(fields, 'MediaId') }, dedupeKey };
}
