import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { backoffMs, Outbox } from '../../src/bot/outbox';
import type { ChannelSender, OutboundMessage } from '../../src/channels/port';
import type { ManualClock } from '../../src/clock';
import { PlatformApiError } from '../../src/errors';
import { createLogger } from '../../src/logger';
import { databaseBackends, testClock } from '../support/backends';

/** A messenger that can be told to be down, and remembers what got through. */
class FlakyMessenger implements ChannelSender {
  readonly channel = 'wecom' as const;
  delivered: { to: string; text: string }[] = [];
  down: 'no' | 'outage' | 'unknown user' = 'no';
  /** What happens while the next sends are in flight (the platform slow, another instance at work), one each. */
  whileSending: (() => Promise<void>)[] = [];
  async deliver(to: string, message: OutboundMessage): Promise<void> {
    await this.whileSending.shift()?.();
    if (this.down === 'outage') throw new PlatformApiError('wecom', 'HTTP 500');
    if (this.down === 'unknown user') throw new PlatformApiError('wecom', 'invalid userid', 40003, true);
    this.delivered.push({ to, text: message.kind === 'text' ? message.text : message.kind });
  }
}

const say = (recipient: string, text: string) => ({ channel: 'wecom' as const, recipient, message: { kind: 'text' as const, text } });

describe.each(databaseBackends)('the outbox on $name', (backend) => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  let clock: ManualClock;
  let messenger: FlakyMessenger;
  let outbox: Outbox;

  const statuses = async () =>
    (await db.query('SELECT status FROM outbox ORDER BY id')).map((r: { status: string }) => r.status);

  beforeEach(async () => {
    ({ db, dispose } = await backend.open());
    clock = testClock();
    messenger = new FlakyMessenger();
    outbox = new Outbox(db, clock, new Map([['wecom', messenger]]), createLogger('silent'), 'instance-a');
  });
  afterEach(async () => dispose());

  it('delivers a queued notification and marks it sent', async () => {
    await outbox.enqueue([say('zhangsan', '您有一项待审批的容错申请')]);
    expect(await outbox.dispatchDue()).toBe(1);
    expect(messenger.delivered).toEqual([{ to: 'zhangsan', text: '您有一项待审批的容错申请' }]);
    expect(await statuses()).toEqual(['sent']);
    expect(await outbox.dispatchDue()).toBe(0);
  });

  it('keeps a notification through a WeCom outage and sends it after the backoff', async () => {
    await outbox.enqueue([say('zhangsan', '催办提醒')]);
    messenger.down = 'outage';
    expect(await outbox.dispatchDue()).toBe(0);
    expect(await statuses()).toEqual(['pending']);
    messenger.down = 'no';
    expect(await outbox.dispatchDue()).toBe(0);
    clock.advance(backoffMs(0));
    expect(await outbox.dispatchDue()).toBe(1);
    expect(messenger.delivered.map((d) => d.text)).toEqual(['催办提醒']);
  });

  it('does not retry what the platform refuses for good, and keeps the reason', async () => {
    await outbox.enqueue([say('gone', '通知')]);
    messenger.down = 'unknown user';
    await outbox.dispatchDue();
    clock.advance(backoffMs(10));
    await outbox.dispatchDue();
    const [row]: { status: string; attempts: number; error: string }[] = await db.query('SELECT status, attempts, error FROM outbox');
    expect(row).toMatchObject({ status: 'failed', attempts: 1 });
    expect(row.error).toContain('40003');
  });

  it('keeps one person’s messages in order when an earlier one failed', async () => {
    await outbox.enqueue([say('zhangsan', '第一条')]);
    messenger.down = 'outage';
    await outbox.dispatchDue();
    messenger.down = 'no';
    await outbox.enqueue([say('zhangsan', '第二条'), say('lisi', '给李四')]);
    await outbox.dispatchDue();
    expect(messenger.delivered.map((d) => d.text)).toEqual(['给李四']);
    clock.advance(backoffMs(0));
    await outbox.dispatchDue();
    expect(messenger.delivered.map((d) => d.text)).toEqual(['给李四', '第一条', '第二条']);
  });

  it('splits a text longer than the messenger takes into messages sent in order', async () => {
    const short = Object.assign(new FlakyMessenger(), { maxTextBytes: 30 });
    const narrow = new Outbox(db, clock, new Map([['wecom', short]]), createLogger('silent'), 'instance-a');
    await narrow.enqueue([say('zhangsan', '第一行很长的汇总内容\n第二行很长的汇总内容')]);
    await narrow.dispatchDue();
    expect(short.delivered.map((d) => d.text)).toEqual(['第一行很长的汇总内容', '第二行很长的汇总内容']);
  });

  it('never sends a message twice when two instances dispatch at once', async () => {
    await outbox.enqueue(Array.from({ length: 20 }, (_, i) => say(`user${i}`, `通知${i}`)));
    const other = new Outbox(db, clock, new Map([['wecom', messenger]]), createLogger('silent'), 'instance-b');
    await Promise.all([outbox.dispatchDue(), other.dispatchDue(), outbox.dispatchDue()]);
    expect(messenger.delivered).toHaveLength(20);
    expect(new Set(messenger.delivered.map((d) => d.text)).size).toBe(20);
  });

  it('claims a row again before a slow pass sends it, and leaves one another instance took over meanwhile to that instance', async () => {
    await outbox.enqueue([say('u0', '通知0'), say('u1', '通知1'), say('u2', '通知2')]);
    const other = new Outbox(db, clock, new Map([['wecom', messenger]]), createLogger('silent'), 'instance-b');
    messenger.whileSending = [
      // WeCom takes 40 s over the first send: the pass claims 通知1 again before sending it.
      async () => clock.advance(40_000),
      // And 30 s over the second: 通知2, claimed 70 s ago, is stale, and instance B takes it over and sends it.
      async () => {
        clock.advance(30_000);
        expect(await other.dispatchDue()).toBe(1);
      },
    ];
    expect(await outbox.dispatchDue()).toBe(2);
    expect(messenger.delivered.map((d) => d.text)).toEqual(['通知0', '通知2', '通知1']);
    expect(await statuses()).toEqual(['sent', 'sent', 'sent']);
  });
});
