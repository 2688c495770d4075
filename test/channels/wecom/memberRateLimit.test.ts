import { describe, expect, it } from 'vitest';
import { MemberRateLimit } from '../../../src/channels/wecom/memberRateLimit';
import { SendDeferredError } from '../../../src/errors';
import { MemoryStateStore } from '../../../src/state/memoryStateStore';
import { rejection } from '../../support/errors';
import { testClock } from '../../support/backends';

/** WeCom drops what goes past 30 a minute or 1,000 an hour to one member: the bot waits instead. */
describe('the per-member limits of WeCom, on an injected clock', () => {
  it('lets 30 through in a minute and puts the 31st off until the first is a minute old', async () => {
    const clock = testClock();
    const limit = new MemberRateLimit(new MemoryStateStore(clock), clock);
    const first = clock.now().getTime();
    for (let i = 0; i < 30; i++) {
      await limit.reserve('zhangsan');
      clock.advance(1_000);
    }
    const refused = await rejection(limit.reserve('zhangsan'));
    expect(refused).toBeInstanceOf(SendDeferredError);
    expect((refused as SendDeferredError).retryAt.getTime()).toBe(first + 60_000);
    // Someone else is not held up.
    await limit.reserve('lisi');
    clock.advance(first + 60_000 - clock.now().getTime());
    await limit.reserve('zhangsan');
  });

  it('lets 1,000 through in an hour at 30 a minute, puts the 1,001st off until the first is an hour old, then sends on', async () => {
    const clock = testClock();
    const limit = new MemberRateLimit(new MemoryStateStore(clock), clock);
    const first = clock.now().getTime();
    let sent = 0;
    while (sent < 1000) {
      for (let i = 0; i < 30 && sent < 1000; i++, sent++) await limit.reserve('zhangsan');
      clock.advance(60_000);
    }
    // 34 minutes in: the minute's window is free, the hour's is full.
    const refused = (await rejection(limit.reserve('zhangsan'))) as SendDeferredError;
    expect(refused.message).toMatch(/1000 messages in the last hour/);
    expect(refused.retryAt.getTime()).toBe(first + 3_600_000);
    clock.advance(refused.retryAt.getTime() - clock.now().getTime() - 1);
    await expect(limit.reserve('zhangsan')).rejects.toBeInstanceOf(SendDeferredError);
    clock.advance(1);
    // The first minute's 30 leave the hour together: 30 may go, the 31st waits for the next minute's.
    for (let i = 0; i < 30; i++) await limit.reserve('zhangsan');
    const next = (await rejection(limit.reserve('zhangsan'))) as SendDeferredError;
    expect(next.retryAt.getTime()).toBeGreaterThan(clock.now().getTime());
  });
});
