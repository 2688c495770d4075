/**
 * Short-lived shared state: conversation drafts, dedupe marks, tokens, locks. Business records
 * never live here. Two adapters (in-process and Redis) pass one shared test suite.
 */
export interface StateStore {
  get(key: string): Promise<string | undefined>;
  /** ttlMs undefined keeps the value until deleted. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Atomically sets the value only if the key is absent; true when this call set it. */
  setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean>;
  /** Atomically replaces `expected` (undefined: absent) with `next`; true when it did. */
  compareAndSet(key: string, expected: string | undefined, next: string, ttlMs?: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * Runs `work` while holding a lock on `key` across every instance sharing the store. Waits up to
   * `waitMs` for the lock (then throws LockTimeoutError); the lock expires after `leaseMs` so a
   * crashed holder cannot block the key for ever.
   */
  withLock<T>(key: string, work: () => Promise<T>, options?: LockOptions): Promise<T>;
  /**
   * Names the store's current life: it changes whenever the store may have lost or rolled back what
   * it held (Redis restarted, from an older snapshot or empty; a failover to another server), and is
   * undefined while not known (a connection not yet checked). A value written with the life named
   * now was written since then, so nothing older held elsewhere can be newer than it.
   */
  lifetime(): string | undefined;
  ping(): Promise<void>;
  /** Settings of the store that put shared state at risk, said in a sentence each; none is fine. */
  durabilityWarnings(): Promise<string[]>;
  close(): Promise<void>;
}

export interface LockOptions {
  waitMs?: number;
  leaseMs?: number;
}

export const DEFAULT_LOCK: Required<LockOptions> = { waitMs: 10_000, leaseMs: 30_000 };

export class LockTimeoutError extends Error {
  constructor(key: string) {
    super(`lock on ${key} not acquired in time`);
    this.name = 'LockTimeoutError';
  }
}
