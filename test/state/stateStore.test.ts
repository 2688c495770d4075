import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LockTimeoutError, type StateStore } from '../../src/state/stateStore';
import { stateBackends, testClock } from '../support/backends';
import type { ManualClock } from '../../src/clock';

// Redis expires keys on its own clock, the in-process store on the injected one: `wait` moves both.
describe.each(stateBackends)('state store on $name', (backend) => {
  let store: StateStore;
  let clock: ManualClock;
  const wait = async (ms: number) => {
    clock.advance(ms);
    if (backend.name === 'redis') await sleep(ms);
  };

  beforeEach(() => {
    clock = testClock();
    store = backend.open(clock);
  });
  afterEach(async () => {
    await store.close();
  });

  it('keeps a value until its TTL runs out', async () => {
    await store.set('draft', 'v1', 80);
    expect(await store.get('draft')).toBe('v1');
    await wait(150);
    expect(await store.get('draft')).toBeUndefined();
  });

  it('keeps a value without TTL until it is deleted', async () => {
    await store.set('k', 'v');
    await wait(50);
    expect(await store.get('k')).toBe('v');
    await store.delete('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('lets only the first of many set-if-absent calls win', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.setIfAbsent('once', String(i), 10_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.get('once')).toBe(String(winner));
  });

  it('lets set-if-absent win again once the mark has expired', async () => {
    expect(await store.setIfAbsent('mark', 'a', 60)).toBe(true);
    expect(await store.setIfAbsent('mark', 'b', 60)).toBe(false);
    await wait(120);
    expect(await store.setIfAbsent('mark', 'c', 60)).toBe(true);
  });

  it('compares and sets only when the current value is the expected one', async () => {
    expect(await store.compareAndSet('v', undefined, '1')).toBe(true);
    expect(await store.compareAndSet('v', undefined, '2')).toBe(false);
    expect(await store.compareAndSet('v', '0', '2')).toBe(false);
    expect(await store.compareAndSet('v', '1', '2', 10_000)).toBe(true);
    expect(await store.get('v')).toBe('2');
  });

  it('lets exactly one of two racing compare-and-sets from the same version win', async () => {
    await store.set('doc', 'version-1');
    const [a, b] = await Promise.all([
      store.compareAndSet('doc', 'version-1', 'from-a'),
      store.compareAndSet('doc', 'version-1', 'from-b'),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
  });

  it('runs work under a lock one holder at a time, in the order they asked', async () => {
    const order: string[] = [];
    const hold = (name: string, ms: number) =>
      store.withLock('user:1', async () => {
        order.push(`${name}+`);
        await sleep(ms);
        order.push(`${name}-`);
      });
    await Promise.all([hold('a', 30), hold('b', 5), hold('c', 5)]);
    for (let i = 0; i < order.length; i += 2) expect(order[i + 1]).toBe(order[i].replace('+', '-'));
  });

  it('gives up waiting for a lock after the wait time', async () => {
    let release!: () => void;
    const held = store.withLock('busy', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(10);
    await expect(store.withLock('busy', async () => 'never', { waitMs: 50 })).rejects.toBeInstanceOf(LockTimeoutError);
    release();
    await held;
    expect(await store.withLock('busy', async () => 'after', { waitMs: 500 })).toBe('after');
  });

  it('releases the lock when the work throws', async () => {
    await expect(store.withLock('k', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await store.withLock('k', async () => 'next', { waitMs: 200 })).toBe('next');
  });

  it('keeps locks on different keys independent', async () => {
    let release!: () => void;
    const held = store.withLock('alice', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(10);
    expect(await store.withLock('bob', async () => 'bob ran', { waitMs: 100 })).toBe('bob ran');
    release();
    await held;
  });
});
