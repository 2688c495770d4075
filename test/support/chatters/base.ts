import type { SampleFile } from '../sampleFiles';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TranscriptEntry } from '../../../src/channels/simulator/transcript';
import type { ManualClock } from '../../../src/clock';
import type { Bot } from '../../../src/container';

/** What the bot said in answer to one message or tap, flattened for reading in assertions. */
export class Answer {
  constructor(readonly messages: TranscriptEntry[]) {}

  get text(): string {
    return this.messages
      .map((m) => m.text ?? m.markdown ?? [m.card?.title, m.card?.description, ...(m.card?.fields ?? []).map((f) => `${f.label}：${f.value}`)].join('\n'))
      .join('\n');
  }

  get cards() {
    return this.messages.flatMap((m) => (m.card ? [m.card] : []));
  }
}

/**
 * What an approver read before a card: the whole-record message the bot sends right before it
 * (its pieces joined, when the outbox split it at line breaks under the messenger's limit).
 */
export function recordBefore(who: Chatter, cardId: string): string {
  const entries = who.transcript();
  const earlier = entries.slice(0, entries.findIndex((m) => m.card?.cardId === cardId)).reverse();
  const head = earlier.findIndex((m) => m.text?.startsWith('【完整材料】'));
  if (head < 0) throw new Error(`no whole record before card ${cardId} in ${who.code}'s chat`);
  return earlier
    .slice(0, head + 1)
    .reverse()
    .map((m) => m.text ?? '')
    .join('\n');
}

/** A person in a messenger, typing and tapping like a cadre would. */
export interface Chatter {
  readonly code: string;
  says(text: string): Promise<Answer>;
  /**
   * Sends a file from the messenger, whose API then serves `content` for it (a one-line text file
   * naming it by default; on WeCom, which carries pictures only, a PNG).
   */
  sends(fileName: string, content?: SampleFile): Promise<Answer>;
  /** Taps the button with this label on the newest card that has it. */
  taps(label: string): Promise<Answer>;
  tapsOn(cardId: string, action: string): Promise<Answer>;
  /** What the bot has said to this person so far, oldest first. */
  transcript(): TranscriptEntry[];
  lastCard(): TranscriptEntry['card'];
}

export abstract class ChatterBase implements Chatter {
  constructor(readonly code: string) {}

  abstract says(text: string): Promise<Answer>;
  abstract sends(fileName: string, content?: SampleFile): Promise<Answer>;
  abstract tapsOn(cardId: string, action: string): Promise<Answer>;
  abstract transcript(): TranscriptEntry[];

  async taps(label: string): Promise<Answer> {
    const card = this.transcript().reverse().find((m) => m.card?.buttons.some((b) => b.label === label))?.card;
    if (!card) throw new Error(`no card with a “${label}” button in ${this.code}'s chat`);
    return this.tapsOn(card.cardId, card.buttons.find((b) => b.label === label)!.key);
  }

  lastCard(): TranscriptEntry['card'] {
    return this.transcript().reverse().find((m) => m.card)?.card;
  }
}

/** What a remote chatter needs of its chat; getters, as a restart replaces the bot and its URL. */
export interface ChatContext {
  readonly url: string;
  readonly bot: Bot;
  readonly clock: ManualClock;
}

/** People take a while between two taps; it also keeps WeCom under its 30 messages a minute. */
const STEP_MS = 10_000;

/**
 * A messenger's person, whose chat is read back from a fake platform API. Each action moves the
 * clock on, posts one callback, then handles what is queued and sends the replies before reading
 * the answer, so a test never races the bot's own worker.
 */
export abstract class RemoteChatter extends ChatterBase {
  constructor(
    code: string,
    protected readonly chat: ChatContext,
  ) {
    super(code);
  }

  protected async act(post: (now: Date) => Promise<Response>): Promise<Answer> {
    const before = this.transcript().length;
    this.chat.clock.advance(STEP_MS);
    const response = await post(this.chat.clock.now());
    if (response.status !== 200) throw new Error(`${this.code}'s callback was answered ${response.status}: ${await response.text()}`);
    await response.arrayBuffer();
    await settle(this.chat.bot);
    return new Answer(this.transcript().slice(before));
  }
}

/**
 * Handles every received event and sends every due reply. The worker, kicked by each callback,
 * may be at it too: it holds the user's lock (drainAll then skips the user) or a claimed send, so
 * this repeats until nothing is waiting, handling or sending.
 */
export async function settle(bot: Bot): Promise<void> {
  for (let round = 0; round < 1000; round++) {
    await bot.inboxWorker.drainAll();
    await bot.outbox.dispatchDue();
    const [busy]: { inbox: number; outbox: number }[] = await bot.db.query(
      `SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'pending') AS inbox,
              (SELECT COUNT(*) FROM outbox WHERE status = 'sending' OR (status = 'pending' AND next_attempt_at <= ?)) AS outbox`,
      [bot.clock.now().toISOString()],
    );
    if (Number(busy.inbox) === 0 && Number(busy.outbox) === 0) return;
    await sleep(2);
  }
  throw new Error('the bot was still handling or sending after 1000 rounds');
}
