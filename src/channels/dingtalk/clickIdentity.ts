import { createHash, randomBytes } from 'node:crypto';
import type { StateStore } from '../../state/stateStore';
import type { CardClick } from './inbound';

/** Long enough for any redelivery DingTalk makes of a click it had no answer to. */
const TAP_MEMORY_MS = 24 * 3600_000;

/** Whether the inbox holds this event and has not handled it yet. */
export type PendingCheck = (dedupeKey: string) => Promise<boolean>;

/**
 * The inbox key of a card click. DingTalk's card callback carries no id of the tap: a retry is
 * re-signed (a new signature time) and a stream redelivery may come under a new message id. What
 * identifies a click is the card instance, the clicker and the button, together with the state of
 * that tap: a delivery that arrives while the last tap of this button is still waiting in the inbox
 * is that tap again (DingTalk's retry) and gets its key; once that tap has been handled, the next
 * delivery is a new tap (“重新分派” after the roster was fixed) and gets a key of its own. A retry
 * that only arrives after its tap was handled therefore counts as a new tap: it meets the state
 * check every card action makes (“这一环节已处理”) and is answered, never applied twice.
 */
export async function clickIdentity(state: StateStore, click: CardClick, pending: PendingCheck): Promise<string> {
  const { outTrackId, event } = click;
  const base = `card:${outTrackId}:${event.channelUserId}:${event.action}`;
  const mark = `dingtalk:tap:${createHash('sha256').update(base).digest('hex')}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    const last = await state.get(mark);
    if (last && (await pending(last))) return last;
    const next = `${base}:${randomBytes(6).toString('hex')}`;
    // Two deliveries at once: one of them names the tap, the other takes that name.
    if (await state.compareAndSet(mark, last, next, TAP_MEMORY_MS)) return next;
  }
  throw new Error('card click identity could not be settled');
}
