import type { DataSource } from 'typeorm';
import type { Completion } from '../bot/turn';
import type { OutboundMessage } from '../channels/port';
import type { Clock } from '../clock';
import type { Logger } from '../logger';
import type { StateStore } from '../state/stateStore';
import { FieldKeyError, fieldCipherOf } from '../storage/fieldCipher';
import { execute, select, type Executor } from '../storage/sql';
import type { Values } from './dialogue';

/** The durable copy is sealed like the records it turns into (storage/confidential.ts). */
const COPY_COLUMN = 'draft_copies.payload';

/** Bumped when the shape below changes; older drafts are then restarted, never misread. */
export const DRAFT_FORMAT = 1;

export type DraftMode =
  /** `kept` is the answer 上一步 or 修改 took back: "不变" gives it again. */
  | { kind: 'ask'; stepKey: string; partial?: unknown; clarify?: { label: string; input: string }[]; kept?: { value: unknown } }
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
  /** How the person starts this dialogue again after 取消: a card's button, or words to send. */
  restart?: string;
  /** The card whose buttons are live; it greys out once answered. */
  openCardId?: string;
  startedAt: string;
  expiresAt: string;
  /** The last event handled and what was said, so a redelivered event repeats the answer only. */
  lastTurn?: { key: string; replies: OutboundMessage[] };
  /** Raised by every save: which of the state store's copy and the database's is newer. */
  revision?: number;
  /** The state store's life when it was saved (StateStore.lifetime). */
  life?: string;
}

/** `revision` is the newest either copy has: the next save must go above it. */
export type Loaded = { revision: number } & (
  /** No dialogue; `lastTurn` is what ended the last one, so that its redelivery is answered the same. */
  | { kind: 'none'; lastTurn?: LastTurn }
  | { kind: 'active'; draft: Draft }
  | { kind: 'expired'; dialogue: string }
  | { kind: 'outdated'; dialogue: string }
);

export type LastTurn = NonNullable<Draft['lastTurn']>;

/** What the state store holds once a dialogue ended: its revision and last answer, no values. */
interface Ended {
  ended: true;
  revision: number;
  lastTurn?: LastTurn;
  life?: string;
}

/** A durable copy to write: the draft serialised once for both copies, sealed as it is written. */
interface CopyRow {
  personId: number;
  revision: number;
  payload: string;
}

// Drafts are kept a while past their expiry so that the person can be told it expired.
const GRACE_MS = 30 * 24 * 3600 * 1000;
// Long enough for any redelivery of the event that ended a dialogue.
const ENDED_TTL_MS = 24 * 3600 * 1000;

/**
 * Per-person dialogue drafts as plain versioned JSON, in two places: the state store, read and
 * written on every turn, and a durable copy in the database (`draft_copies`), written in the
 * transaction that marks the turn's event handled (the Completion that save and remove return).
 * Each save raises the draft's revision; load takes whichever copy is newer, so a Redis that lost
 * its data, or came back from an older snapshot, loses nothing that was answered. The state store
 * is written first, so while it lives on (the same Redis run, see StateStore.lifetime) its copy is
 * the newer one: load reads the database's only when the state store's was saved in another life
 * of it, or there is none.
 */
export class DraftStore {
  constructor(
    private readonly store: StateStore,
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly logger?: Logger,
  ) {}

  async load(personId: number, currentVersion: (dialogue: string) => number | undefined): Promise<Loaded> {
    // With the store's life unknown the database copy is needed anyway: read both at once.
    const unknown = this.store.lifetime() === undefined;
    const [raw, early] = await Promise.all([this.store.get(key(personId)), unknown ? this.durableCopy(personId) : undefined]);
    const cached = parse(raw);
    // The life named after the answer came: a reconnection in between forgot the one before.
    const life = this.store.lifetime();
    const current = life !== undefined && cached?.life === life;
    const copy = unknown ? early : current ? undefined : await this.durableCopy(personId);
    let chosen = cached;
    if (copy && copy.revision > revisionOf(cached)) {
      chosen = parse(copy.payload);
      this.logger?.info({ personId, revision: copy.revision, stateStore: revisionOf(cached) }, 'dialogue draft restored from its database copy');
    }
    const revision = Math.max(revisionOf(cached), copy?.revision ?? 0);
    if (chosen === undefined) return raw === undefined && !copy ? { kind: 'none', revision } : { kind: 'outdated', dialogue: '', revision };
    if ('ended' in chosen) return { kind: 'none', lastTurn: chosen.lastTurn, revision };
    const draft = chosen;
    const dialogue = typeof draft.dialogue === 'string' ? draft.dialogue : '';
    if (draft.format !== DRAFT_FORMAT || currentVersion(dialogue) !== draft.dialogueVersion) return { kind: 'outdated', dialogue, revision };
    if (draft.expiresAt <= this.clock.now().toISOString()) return { kind: 'expired', dialogue, revision };
    return { kind: 'active', draft: { ...draft, revision }, revision };
  }

  /** Saves to the state store now; the Completion writes the durable copy with the turn. */
  async save(personId: number, draft: Draft): Promise<Completion> {
    draft.expiresAt = new Date(this.clock.now().getTime() + this.ttlMs).toISOString();
    draft.revision = (draft.revision ?? 0) + 1;
    draft.life = this.store.lifetime();
    // Serialised once, for both copies.
    const payload = JSON.stringify(draft);
    await this.store.set(key(personId), payload, this.ttlMs + GRACE_MS);
    return this.copy(personId, draft.revision, payload);
  }

  /**
   * The durable copy's write for a turn that is redone after its first run got as far as the state
   * store (its answer is repeated, nothing is applied again): the copy catches up with that run.
   */
  copied(personId: number, loaded: Loaded): Completion;
  copied(personId: number, draft: Draft): Completion;
  copied(personId: number, value: Draft | Loaded): Completion {
    if ('kind' in value) {
      if (value.kind === 'active') return this.copied(personId, value.draft);
      return this.dropped(personId, value.revision + 1);
    }
    return this.copy(personId, value.revision ?? 0, JSON.stringify(value));
  }

  private copy(personId: number, revision: number, payload: string): Completion {
    const copy: CopyRow = { personId, revision, payload };
    const write = (db: Executor) => this.writeCopies(db, [copy]);
    const completion: Completion = Object.assign(write, { together: this.copiesTogether });
    this.copies.set(completion, copy);
    return completion;
  }

  /** The rows of the copy completions not written yet, for copiesTogether. */
  private readonly copies = new WeakMap<Completion, CopyRow>();

  private readonly copiesTogether = (db: Executor, completions: readonly Completion[]): Promise<void> =>
    this.writeCopies(db, completions.flatMap((c) => this.copies.get(c) ?? []));

  private async writeCopies(db: Executor, copies: readonly CopyRow[]): Promise<void> {
    // One statement, no read first: an UPDATE of a missing row followed by an INSERT takes gap locks
    // on MariaDB, which deadlock when several people's turns commit at once. An older revision never
    // replaces a newer one (a redone turn).
    if (copies.length === 0) return;
    const now = this.clock.now().toISOString();
    const cipher = fieldCipherOf(db);
    const values = copies.map(() => '(?, ?, ?, ?)').join(', ');
    await db.query(
      isMysql(db)
        ? `INSERT INTO draft_copies (person_id, revision, payload, updated_at) VALUES ${values} ON DUPLICATE KEY UPDATE
           payload = IF(VALUES(revision) > revision, VALUES(payload), payload),
           updated_at = IF(VALUES(revision) > revision, VALUES(updated_at), updated_at),
           revision = GREATEST(revision, VALUES(revision))`
        : `INSERT INTO draft_copies (person_id, revision, payload, updated_at) VALUES ${values} ON CONFLICT (person_id) DO UPDATE
           SET payload = excluded.payload, updated_at = excluded.updated_at, revision = excluded.revision WHERE excluded.revision > draft_copies.revision`,
      copies.flatMap((c) => [c.personId, c.revision, cipher.seal(c.payload, COPY_COLUMN), now]),
    );
  }

  /** Ends the dialogue: the state store keeps the last answer a while, the durable copy goes. */
  async remove(personId: number, previousRevision: number, lastTurn?: LastTurn): Promise<Completion> {
    const revision = previousRevision + 1;
    const ended: Ended = { ended: true, revision, lastTurn, life: this.store.lifetime() };
    await this.store.set(key(personId), JSON.stringify(ended), ENDED_TTL_MS);
    return this.dropped(personId, revision);
  }

  /** Deletes the durable copy older than `revision`. */
  private dropped(personId: number, revision: number): Completion {
    return async (db) => {
      // Deleting a row that is not there would take a gap lock (see save): look first, without a lock.
      const [copy] = await select<{ revision: number | string }>(db, 'SELECT revision FROM draft_copies WHERE person_id = ?', [personId]);
      if (copy && Number(copy.revision) < revision) await execute(db, 'DELETE FROM draft_copies WHERE person_id = ? AND revision < ?', [personId, revision]);
    };
  }

  async markSubmitted(draftId: string, recordRef: string): Promise<void> {
    await this.store.set(`submitted:${draftId}`, recordRef, GRACE_MS);
  }

  async submittedAs(draftId: string): Promise<string | undefined> {
    return this.store.get(`submitted:${draftId}`);
  }

  private async durableCopy(personId: number): Promise<{ revision: number; payload: string } | undefined> {
    const [row] = await select<{ revision: number | string; payload: string }>(this.db, 'SELECT revision, payload FROM draft_copies WHERE person_id = ?', [personId]);
    if (!row) return undefined;
    try {
      return { revision: Number(row.revision), payload: fieldCipherOf(this.db).open(row.payload, COPY_COLUMN) };
    } catch (error) {
      if (!(error instanceof FieldKeyError)) throw error;
      // A copy that does not open is treated as a damaged one: the dialogue starts again, the error is logged.
      this.logger?.warn({ personId, reason: error.message }, 'dialogue draft copy could not be decrypted');
      return { revision: Number(row.revision), payload: '' };
    }
  }
}

function parse(raw: string | undefined): Draft | Ended | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as unknown;
    return value && typeof value === 'object' ? (value as Draft | Ended) : undefined;
  } catch {
    return undefined;
  }
}

function revisionOf(value: Draft | Ended | undefined): number {
  return typeof value?.revision === 'number' ? value.revision : 0;
}

const key = (personId: number) => `dialogue:${personId}`;

function isMysql(db: Executor): boolean {
  return ('connection' in db ? db.connection : db).options.type === 'mysql';
}
