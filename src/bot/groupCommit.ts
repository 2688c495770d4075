/** One item's outcome of a shared write: its value, or the error that item alone met. */
export type Settled<T> = { value: T } | { error: unknown };

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit: items submitted while a write is in flight wait for the next write and share it,
 * so a burst of callbacks costs one statement (and one log flush in the database) per batch instead
 * of one per callback, and an idle one waits for nothing. Each submitter is answered when the
 * write that carried its item has committed, with that item's own outcome.
 */
export class GroupCommit<I, O> {
  private waiting: Waiting<I, O>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: I[]) => Promise<Settled<O>[]>,
    /** Writes running at once; 1 on SQLite, whose one connection does them one after another anyway. */
    private readonly maxInFlight: number,
    private readonly maxBatch: number,
    /** An item's size (its bytes, say) and how much one write may carry; the first item always goes. */
    private readonly size: (item: I) => number = () => 0,
    private readonly maxSize = Infinity,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      // After the I/O callbacks of this turn of the event loop: requests read together go together.
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump();
        });
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      let count = 0;
      let total = 0;
      while (count < Math.min(this.maxBatch, this.waiting.length)) {
        total += this.size(this.waiting[count].item);
        if (count > 0 && total > this.maxSize) break;
        count += 1;
      }
      const batch = this.waiting.splice(0, count);
      this.inFlight += 1;
      this.write(batch.map((w) => w.item))
        .then(
          (outcomes) => batch.forEach((w, i) => settle(w, outcomes[i])),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          this.inFlight -= 1;
          this.pump();
        });
    }
  }
}

function settle<I, O>(waiting: Waiting<I, O>, outcome: Settled<O> | undefined): void {
  if (outcome === undefined) waiting.reject(new Error('group commit: the write returned no outcome for an item'));
  else if ('error' in outcome) waiting.reject(outcome.error);
  else waiting.resolve(outcome.value);
}
