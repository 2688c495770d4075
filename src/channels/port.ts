/**
 * The one shape every messenger is translated into and out of. Conversations and workflows see
 * only these types; nothing beyond src/channels knows what WeCom XML or a DingTalk card looks like.
 */
export type ChannelName = 'simulator' | 'wecom' | 'dingtalk';

interface InboundBase {
  channel: ChannelName;
  /** The messenger's own user id (WeCom userid, DingTalk staffId, the simulator's person code). */
  channelUserId: string;
  /** ISO instant at which the platform says the event happened. */
  sentAt: string;
}

export interface TextEvent extends InboundBase {
  kind: 'text';
  messageId: string;
  text: string;
}

export interface ClickEvent extends InboundBase {
  kind: 'click';
  /** The card the button was on; the platform's task id or card instance id. */
  cardId: string;
  /** The button's key, as set when the card was sent. */
  action: string;
}

export interface AttachmentEvent extends InboundBase {
  kind: 'attachment';
  messageId: string;
  mediaKind: 'file' | 'image' | 'video';
  /** Platform media id, fetched later while it is still valid (WeCom keeps media 3 days). */
  mediaId: string;
  fileName?: string;
}

export type InboundEvent = TextEvent | ClickEvent | AttachmentEvent;

export interface CardButton {
  key: string;
  label: string;
  style?: 'primary' | 'danger' | 'default';
}

export interface CardField {
  label: string;
  value: string;
}

/** A link a card opens besides its buttons: 查看完整材料 at the case's page. */
export interface CardLink {
  label: string;
  url: string;
}

export interface Card {
  /** Our id for the card, unique across the deployment; platforms echo it back on clicks. */
  cardId: string;
  title: string;
  description?: string;
  fields?: CardField[];
  buttons: CardButton[];
  link?: CardLink;
}

export type OutboundMessage =
  | { kind: 'text'; text: string }
  | { kind: 'markdown'; markdown: string }
  | { kind: 'card'; card: Card }
  /** Greys a card out once it has been acted on: every copy shows `closedLabel` instead of buttons. */
  | { kind: 'cardUpdate'; cardId: string; closedLabel: string };

/** Delivers to one messenger. Throws PlatformApiError; the outbox decides whether to retry. */
export interface ChannelSender {
  readonly channel: ChannelName;
  /** The longest text message the platform delivers whole (UTF-8 bytes); longer ones are split. */
  readonly maxTextBytes?: number;
  /**
   * The platform can be asked to drop a request identical to one it took within this window (WeCom's
   * enable_duplicate_check): a message sent again after a lost answer or a crash then arrives once.
   */
  readonly duplicateCheckMs?: number;
  deliver(channelUserId: string, message: OutboundMessage, options?: DeliveryOptions): Promise<void>;
}

export interface DeliveryOptions {
  /**
   * Ask the platform to drop this request if it took an identical one within duplicateCheckMs. The
   * outbox asks only when no identical message went to the person in that window, so that a
   * message meant twice (the same prompt again) is never dropped.
   */
  duplicateCheck?: boolean;
}
