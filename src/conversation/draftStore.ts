import type { OutboundMessage } from '../channels/port';
import type { Clock } from '../clock';
import type { StateStore } from '../state/stateStore';
import type { Values } from './dialogue';

/** Bumped when the shape below changes; older drafts are then restarted, never misread. */
export const DRAFT_FORMAT = 1;

export type DraftMode =
  | { kind: 'ask'; stepKey: string; partial?: unknown; clarify?: { label: string; input: string }[] }
  | { kind: 'confirm' }
  | { kind: 'chooseEdit' }
  | { kind: 'confirmCancel'; resume: DraftMode }
  | { kind: 'stuck'; stepKey: string };

export interface Draft {
  format: typeof DRAFT_FORMAT;
  id: string;
  dialogue: string;
  dialogueVersion: number;
  mode: DraftMode;
  values: Values;
  /** Step keys in the order they were answered, for 上一步. */
  history: string[];
  failures: number;
  cardsSent: number;
  /** The card whose buttons are live; it greys out once answered. */
  openCardId?: string;
  startedAt: string;
  expiresAt: string;
  /** The last event handled and what was said, so a redelivered event repeats the answer only. */
  lastTurn?: { key: string; replies: OutboundMessage[] };
}

export type Loaded =
  | { kind: 'none' }
  | { kind: 'active'; draft: Draft }
  | { kind: 'expired'; dialogue: string }
  | { kind: 'outdated'; dialogue: string };

// Drafts are kept a while past their expiry so that the person can be told it expired.
const GRACE_MS = 30 * 24 * 3600 * 1000;

/** Per-person dialogue drafts as plain versioned JSON in the state store. */
export class DraftStore {
  constructor(
    private readonly store: StateStore,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  async load(personId: number, currentVersion: (dialogue: string) => number | undefined): Promise<Loaded> {
    const raw = await this.store.get(key(personId));
    if (!raw) return { kind: 'none' };
    let draft: Draft;
    try {
      draft = JSON.parse(raw) as Draft;
    } catch {
      return { kind: 'outdated', dialogue: '' };
    }
    const dialogue = typeof draft.dialogue === 'string' ? draft.dialogue : '';
    if (draft.format !== DRAFT_FORMAT || currentVersion(dialogue) !== draft.dialogueVersion) return { kind: 'outdated', dialogue };
    if (draft.expiresAt <= this.clock.now().toISOString()) return { kind: 'expired', dialogue };
    return { kind: 'active', draft };
  }

  async save(personId: number, draft: Draft): Promise<void> {
    draft.expiresAt = new Date(this.clock.now().getTime() + this.ttlMs).toISOString();
    await this.store.set(key(personId), JSON.stringify(draft), this.ttlMs + GRACE_MS);
  }

  async remove(personId: number): Promise<void> {
    await this.store.delete(key(personId));
  }

  async markSubmitted(draftId: string, recordRef: string): Promise<void> {
    await this.store.set(`submitted:${draftId}`, recordRef, GRACE_MS);
  }

  async submittedAs(draftId: string): Promise<string | undefined> {
    return this.store.get(`submitted:${draftId}`);
  }
}

const key = (personId: number) => `dialogue:${personId}`;
