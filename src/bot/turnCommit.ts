import type { DataSource } from 'typeorm';
import { GroupCommit, type Settled } from './groupCommit';
import type { Inbox, InboxItem } from './inbox';
import { isInfrastructureFailure } from './infrastructure';
import type { Delivery, Outbox } from './outbox';
import type { Completion } from './turn';
import type { Executor } from '../storage/sql';

/** What a handled event leaves to write: its replies, its completions (the draft's copy), the event. */
export interface HandledTurn {
  item: InboxItem;
  /** The turn's key, which its held notifications carry (see outboxHold.ts). */
  key: string;
  deliveries: Delivery[];
  completions: Completion[];
}

/** Turns one transaction carries at most: each adds its completions' statements to it. */
const MAX_BATCH = 64;

/**
 * Completes handled events in shared transactions (group commit, as the inbox stores callbacks):
 * the turns that finish while a commit is in flight are committed together by the next one, with
 * their completions, one multi-row INSERT of all their replies, one release of what they held and
 * one UPDATE marking them done. A busy worker so pays one transaction per batch instead of one per
 * event, and each event is still done exactly when its replies and its draft's copy are written.
 * A batch that fails for another reason than an outage is redone turn by turn, so that only the
 * turn at fault fails (and is retried, or given up on, alone).
 */
export class TurnCommit {
  private readonly group: GroupCommit<HandledTurn, void>;

  constructor(
    private readonly db: DataSource,
    private readonly inbox: Inbox,
    private readonly outbox: Outbox,
  ) {
    const oneConnection = db.options.type === 'better-sqlite3';
    this.group = new GroupCommit((turns) => this.commit(turns), oneConnection ? 1 : 2, MAX_BATCH);
  }

  /** Resolves once the turn is committed; rejects with what kept it from committing. */
  complete(turn: HandledTurn): Promise<void> {
    return this.group.submit(turn);
  }

  private async commit(turns: HandledTurn[]): Promise<Settled<void>[]> {
    try {
      await this.write(turns);
      return turns.map(() => ({ value: undefined }));
    } catch (error) {
      // An outage fails every turn of the batch alike: each is put back and redone.
      if (turns.length === 1 || isInfrastructureFailure(error)) return turns.map(() => ({ error }));
      const outcomes: Settled<void>[] = [];
      for (const turn of turns) outcomes.push(await this.write([turn]).then(() => ({ value: undefined }), (error: unknown) => ({ error })));
      return outcomes;
    }
  }

  private write(turns: HandledTurn[]): Promise<void> {
    return this.db.transaction(async (manager) => {
      await completeTogether(manager, turns);
      await this.outbox.enqueue(turns.flatMap((t) => t.deliveries), manager);
      await this.outbox.release(turns.map((t) => t.key), manager);
      await this.inbox.markHandled(turns.map((t) => t.item.id), manager);
    });
  }
}

/**
 * Every turn's completions, in each turn's own order (a dialogue's copy written before it is
 * dropped, say): the first of every turn, then the second, and so on. Within a round, the ones
 * that can go together (the draft copies of different people) are one statement.
 */
async function completeTogether(db: Executor, turns: HandledTurn[]): Promise<void> {
  const rounds = Math.max(0, ...turns.map((t) => t.completions.length));
  for (let round = 0; round < rounds; round += 1) {
    const together = new Map<NonNullable<Completion['together']>, Completion[]>();
    for (const turn of turns) {
      const completion = turn.completions[round];
      if (!completion) continue;
      if (!completion.together) await completion(db);
      else together.set(completion.together, [...(together.get(completion.together) ?? []), completion]);
    }
    for (const [write, completions] of together) await write(db, completions);
  }
}
