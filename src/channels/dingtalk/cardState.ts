import { createHash, randomBytes } from 'node:crypto';
import type { StateStore } from '../../state/stateStore';
import { clickKey, type CardClick } from './inbound';

/** Cards are clicked for as long as people keep the chat; their state is kept about as long. */
const CARD_STATE_TTL_MS = 366 * 24 * 3600_000;
/**
 * How long a click's identity is remembered as given to its first delivery. DingTalk posts a click
 * again within seconds when its answer was late; by then the bot may have handled the click and
 * changed the card, and the retry must still be the same click.
 */
const REDELIVERY_MS = 10 * 60_000;

const key = (outTrackId: string) => `dingtalk:card-state:${outTrackId}`;

/**
 * The state of a card instance as the bot last changed it: an id that is new after each update
 * DingTalk took (greying it out, say), '0' before any. A click is the card, the clicker, the button
 * and this state: the same click posted again (DingTalk re-signs a retry, so its signature time is
 * new) is recognised; the same button tapped on the card after it changed is a new click.
 */
export async function cardStateOf(state: StateStore, outTrackId: string): Promise<string> {
  return (await state.get(key(outTrackId))) ?? '0';
}

export async function cardChanged(state: StateStore, outTrackId: string): Promise<void> {
  await state.set(key(outTrackId), randomBytes(6).toString('hex'), CARD_STATE_TTL_MS);
}

/**
 * The inbox key of a click (clickKey with the card's state), the same for every delivery of it: the
 * first delivery fixes it, and redeliveries within REDELIVERY_MS reuse it whatever the card became.
 */
export async function clickIdentity(state: StateStore, click: CardClick): Promise<string> {
  const { outTrackId, event } = click;
  const firstSeen = `dingtalk:click:${createHash('sha256').update(`${outTrackId}\n${event.channelUserId}\n${event.action}`).digest('hex')}`;
  const key = clickKey(click, await cardStateOf(state, outTrackId));
  if (await state.setIfAbsent(firstSeen, key, REDELIVERY_MS)) return key;
  return (await state.get(firstSeen)) ?? key;
}
