import { randomBytes } from 'node:crypto';
import type { OutboundMessage } from '../channels/port';
import type { Turn } from '../bot/turn';
import type { Dialogue } from './dialogue';
import type { Services } from '../services';
import type { Draft, DraftStore } from './draftStore';

export type AnyDialogue = Dialogue<Services>;

/**
 * One turn of one person's conversation: the draft as it stands and what the bot says. Nothing
 * is sent or saved until `commit`, which saves the draft with the replies it produced, so a
 * redelivered event can be answered again without being applied twice; the draft's durable copy
 * is written with the turn's completion.
 */
export class Session {
  readonly replies: OutboundMessage[] = [];
  private removed = false;

  constructor(
    readonly turn: Turn,
    readonly eventKey: string,
    private readonly drafts: DraftStore,
    public draft: Draft | undefined,
    /** The newest revision of this person's draft anywhere: a new draft continues above it. */
    private readonly revision = draft?.revision ?? 0,
  ) {}

  get person() {
    return this.turn.person;
  }

  say(text: string): void {
    this.replies.push({ kind: 'text', text });
  }

  send(message: OutboundMessage): void {
    this.replies.push(message);
  }

  /** A fresh card id for this draft: unique per card, as WeCom's task_id must be. */
  nextCardId(): string {
    if (!this.draft) return `c${randomBytes(9).toString('hex')}`;
    this.draft.cardsSent += 1;
    return `${this.draft.id}-${this.draft.cardsSent}`;
  }

  /** Greys out the card whose buttons were live, saying what became of it. */
  closeOpenCard(label: string): void {
    if (!this.draft?.openCardId) return;
    this.replies.push({ kind: 'cardUpdate', cardId: this.draft.openCardId, closedLabel: label });
    this.draft.openCardId = undefined;
  }

  end(): void {
    this.removed = true;
  }

  begin(draft: Draft): void {
    this.draft = { ...draft, revision: this.revision };
    this.removed = false;
  }

  async commit(): Promise<void> {
    const lastTurn = { key: this.eventKey, replies: this.replies };
    if (this.draft && !this.removed) {
      this.draft.lastTurn = lastTurn;
      this.turn.alsoOnCompletion(await this.drafts.save(this.person.id, this.draft));
    } else if (this.removed) {
      this.turn.alsoOnCompletion(await this.drafts.remove(this.person.id, Math.max(this.revision, this.draft?.revision ?? 0), lastTurn));
    }
    for (const reply of this.replies) this.turn.reply(reply);
  }
}

export function newDraftId(): string {
  return `d${randomBytes(8).toString('hex')}`;
}
