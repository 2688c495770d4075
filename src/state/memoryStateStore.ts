import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import { DEFAULT_LOCK, LockTimeoutError, type LockOptions, type StateStore } from './stateStore';

interface Entry {
  value: string;
  expiresAt?: number;
}

/** The embedded default: one process, nothing survives a restart. */
export class MemoryStateStore implements StateStore {
  private readonly entries = new Map<string, Entry>();
  private readonly lockQueues = new Map<string, Promise<void>>();

  /** What the store holds lives and dies with the process. */
  private readonly life = randomUUID();

  constructor(private readonly clock: Clock) {}

  lifetime(): string {
    return this.life;
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    this.entries.set(key, this.entry(value, ttlMs));
  }

  async setIfAbsent(key: string, value: string, ttlMs?: number): Promise<boolean> {
    if (this.live(key)) return false;
    this.entries.set(key, this.entry(value, ttlMs));
    return true;
  }

  async compareAndSet(key: string, expected: string | undefined, next: string, ttlMs?: number): Promise<boolean> {
    if (this.live(key)?.value !== expected) return false;
    this.entries.set(key, this.entry(next, ttlMs));
    return true;
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async withLock<T>(key: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
    const { waitMs } = { ...DEFAULT_LOCK, ...options };
    const previous = this.lockQueues.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.lockQueues.set(key, tail);
    let timer: NodeJS.Timeout | undefined;
    const acquired = await Promise.race([
      previous.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
    ]);
    clearTimeout(timer);
    if (!acquired) {
      // Our place in the queue must still be released, or every later caller would wait on us.
      void previous.then(release);
      throw new LockTimeoutError(key);
    }
    try {
      return await work();
    } finally {
      release();
      if (this.lockQueues.get(key) === tail) this.lockQueues.delete(key);
    }
  }

  async ping(): Promise<void> {}

  /** One process by design (embedded mode); drafts outlive a restart through their database copy. */
  async durabilityWarnings(): Promise<string[]> {
    return [];
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private entry(value: string, ttlMs?: number): Entry {
    return { value, expiresAt: ttlMs === undefined ? undefined : this.clock.now().getTime() + ttlMs };
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= this.clock.now().getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
