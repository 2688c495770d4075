import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/channels/port';
import { Outbox } from '../../../src/bot/outbox';
import { OutboxNotifier } from '../../../src/bot/outboxNotifier';
import type { Notifier } from '../../../src/domain/notifier';
import { createLogger } from '../../../src/logger';
import { RosterRepository } from '../../../src/roster/rosterRepository';
import { jobBackoffMs, type Scheduler } from '../../../src/scheduling/scheduler';
import { select } from '../../../src/storage/sql';
import { databaseBackends } from '../../support/backends';
import { loadSampleCalendar } from '../../support/calendar';
import { openSampleZone, type SampleZone } from '../../support/sampleZone';

/** Queues into the real outbox (in the job's transaction), and fails once on a chosen call. */
class FlakyNotifier implements Notifier {
  calls = 0;
  constructor(
    private readonly inner: Notifier,
    private readonly failOnCall: number,
  ) {}
  async notify(ex: Parameters<Notifier['notify']>[0], personId: number, message: OutboundMessage): Promise<void> {
    await this.inner.notify(ex, personId, message);
    this.calls += 1;
    if (this.calls === this.failOnCall) throw new Error('connection reset while queueing');
  }
}

/** Cards per leader still owing everyone on 30 November: ceil(owed / 6), from the quotas test's table. */
const CARDS = { P002: 2, P003: 3, P004: 1, P005: 1, P009: 1, P012: 1, P018: 1, P021: 1, P022: 1, P023: 1, P030: 1, P031: 1 };

describe.each(databaseBackends)('谈心谈话 reminders on $name', (backend) => {
  let zone: SampleZone;
  let flaky: FlakyNotifier;
  let jobs: Scheduler;

  const queued = async () => {
    const rows = await select<{ recipient: string; payload: string }>(zone.db, 'SELECT recipient, payload FROM outbox ORDER BY id');
    return rows.map((r) => ({ to: r.recipient, message: JSON.parse(r.payload) as OutboundMessage }));
  };
  const runAll = async () => {
    while ((await jobs.runDue()) > 0);
  };

  beforeEach(async () => {
    zone = await openSampleZone(backend);
    // The zone has loaded 2027's holidays, so the weekly reminder to load them is not due as well.
    await loadSampleCalendar(zone.services.calendar);
    const outbox = new Outbox(zone.db, zone.clock, new Map(), createLogger('silent'), 'test');
    flaky = new FlakyNotifier(new OutboxNotifier(outbox, new RosterRepository(zone.db), ['simulator'], createLogger('silent')), 2);
    jobs = zone.scheduler('a', flaky);
    await jobs.runDue();
  });
  afterEach(async () => zone.dispose());

  it('when the run is interrupted after the first send and rerun, then every leader gets the reminder once', async () => {
    zone.clock.set(new Date('2026-11-30T01:00:00Z'));
    await runAll();
    const failed = await select<{ unique_key: string }>(zone.db, `SELECT unique_key FROM scheduled_jobs WHERE status = 'pending' AND error IS NOT NULL`);
    expect(failed).toHaveLength(1);
    expect(failed[0].unique_key).toMatch(/^talk-reminders:2026-11-30:(leader|admin):\d+$/);

    zone.clock.advance(jobBackoffMs(1));
    await runAll();
    // And an operator re-queuing the whole occurrence changes nothing either.
    await zone.db.query(`UPDATE scheduled_jobs SET status = 'pending' WHERE unique_key = 'talk-reminders:2026-11-30'`);
    await runAll();

    const cards = (await queued()).filter((q) => q.message.kind === 'card');
    const perLeader = Object.fromEntries(Object.keys(CARDS).map((code) => [code, cards.filter((c) => c.to === code).length]));
    expect(perLeader).toEqual(CARDS);
    expect(new Set(cards.map((c) => c.message.kind === 'card' && c.message.card.cardId)).size).toBe(cards.length);
    const summaries = (await queued()).filter((q) => q.message.kind === 'text');
    expect(summaries.map((s) => s.to).sort()).toEqual(['P005', 'P006']);
  });

  it('sends each leader a card per six people owed, a 记录 button for each, citing the rule', async () => {
    zone.clock.set(new Date('2026-11-30T01:00:00Z'));
    await runAll();
    zone.clock.advance(jobBackoffMs(1));
    await runAll();
    const forSupervisor = (await queued()).filter((q) => q.to === 'P003').map((q) => (q.message.kind === 'card' ? q.message.card : undefined));
    expect(forSupervisor.map((c) => [c?.title, c?.buttons.length])).toEqual([
      ['谈心谈话每周提醒（第四季度）（1/3）', 6],
      ['谈心谈话每周提醒（第四季度）（2/3）', 6],
      ['谈心谈话每周提醒（第四季度）（3/3）', 4],
    ]);
    expect(forSupervisor[0]?.description).toBe(
      '依据《激励办法》第十一条（四）：本年度应谈 16 人，已谈 0 人，还差 16 人。以下人员尚未谈话，谈过后点击姓名即可登记。',
    );
    expect(forSupervisor[0]?.buttons[0]).toEqual({ key: `talk:${zone.id('P005')}:annual`, label: '记录 王芳' });
    const summary = (await queued()).find((q) => q.to === 'P006')!.message;
    expect(summary.kind === 'text' && summary.text).toContain('全区：应谈 53 人次，已谈 0，未谈 53，完成率 0%。');
  });

  it('sends nothing on 2026-10-01 and the first October reminder on the 8th, after the holiday', async () => {
    zone.clock.set(new Date('2026-09-30T12:00:00Z'));
    await runAll();
    const before = (await queued()).length;
    zone.clock.set(new Date('2026-10-01T01:00:00Z'));
    await runAll();
    expect((await queued()).length).toBe(before);
    const occurrences = await select<{ unique_key: string; run_at: string }>(
      zone.db,
      `SELECT unique_key, run_at FROM scheduled_jobs WHERE kind = 'talk-reminders' AND unique_key LIKE 'talk-reminders:2026-10-%'`,
    );
    expect(occurrences).toEqual([{ unique_key: 'talk-reminders:2026-10-08', run_at: '2026-10-08T01:00:00.000Z' }]);
  });
});
