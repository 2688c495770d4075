import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataSource } from 'typeorm';
import { MAX_ATTEMPTS } from '../../src/bot/inbox';
import { isInfrastructureFailure } from '../../src/bot/infrastructure';
import type { CollectingTurn, Turn } from '../../src/bot/turn';
import type { ChannelSender, TextEvent } from '../../src/channels/port';
import type { Bot } from '../../src/container';
import { GENERIC_APOLOGY, UserFacingError } from '../../src/errors';
import { stageCardId } from '../../src/domain/workflow/cards';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { MemoryStateStore } from '../../src/state/memoryStateStore';
import { RedisStateStore } from '../../src/state/redisStateStore';
import { LockTimeoutError } from '../../src/state/stateStore';
import { createDataSource } from '../../src/storage/dataSource';
import { insert } from '../../src/storage/sql';
import { databaseBackends, testClock } from '../support/backends';
import { createTestBot, seedTwoPeople } from '../support/fixtures';

// Nothing listens on port 1: what the drivers throw when their server is down.
const DEAD_REDIS = 'redis://127.0.0.1:1';
const DEAD_MARIADB = 'mysql://root@127.0.0.1:1/nothing';

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('telling an outage from a bug', () => {
  let deadRedis: RedisStateStore;
  beforeAll(() => {
    deadRedis = new RedisStateStore(DEAD_REDIS, 'nothing:');
  });
  afterAll(async () => deadRedis.close());

  it('counts what the drivers throw when Redis or MariaDB is down as an outage', async () => {
    expect(isInfrastructureFailure(await failureOf(() => deadRedis.get('draft')))).toBe(true);
    expect(isInfrastructureFailure(await failureOf(() => deadRedis.withLock('user:x', async () => 1, { waitMs: 10 })))).toBe(true);
    const db = createDataSource({ kind: 'mysql', url: DEAD_MARIADB });
    expect(isInfrastructureFailure(await failureOf(() => db.initialize()))).toBe(true);
    expect(isInfrastructureFailure(new LockTimeoutError('user:x'))).toBe(true);
    expect(isInfrastructureFailure(Object.assign(new Error('Connection lost: The server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }))).toBe(true);
    expect(isInfrastructureFailure(Object.assign(new Error('Query failed'), { driverError: { code: 'ER_LOCK_DEADLOCK' } }))).toBe(true);
  });

  it('counts everything else, database errors about the statement included, as a failure of the turn', async () => {
    const { db, dispose } = await databaseBackends[0].open();
    try {
      const row = { channel: 'wecom', dedupe_key: 'k', user_key: 'wecom:u', payload: '{}', status: 'pending', attempts: 0, received_at: '2026-01-01' };
      await insert(db, 'inbox', row);
      expect(isInfrastructureFailure(await failureOf(() => insert(db, 'inbox', row)))).toBe(false);
      expect(isInfrastructureFailure(await failureOf(() => db.query('SELECT nothing FROM nowhere')))).toBe(false);
    } finally {
      await dispose();
    }
    expect(isInfrastructureFailure(new Error('boom'))).toBe(false);
    expect(isInfrastructureFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isInfrastructureFailure(new UserFacingError('没有找到这项审批。'))).toBe(false);
    expect(isInfrastructureFailure(undefined)).toBe(false);
  });
});

const text = (messageId: string, body: string): TextEvent => ({
  kind: 'text', channel: 'simulator', channelUserId: 'A1', messageId, text: body, sentAt: '2026-11-27T02:00:00.000Z',
});

describe.each(databaseBackends.slice(0, 1))('the inbox worker during an outage ($name)', (backend) => {
  let db: DataSource;
  let dispose: () => Promise<void>;
  let bot: Bot;
  let redisDown: unknown;
  let outage: boolean;
  let seen: string[];
  let badReply: boolean;

  const handler = async (turn: Turn) => {
    if (turn.event.kind !== 'text') return;
    // What the engine meets when Redis goes away after the user's lock was taken: the draft read fails.
    if (outage) throw redisDown;
    seen.push(turn.event.text);
    turn.reply({ kind: 'text', text: `收到：${turn.event.text}` });
    // A bug in what the turn queues: a delivery without a recipient, which outbox.recipient (NOT NULL) refuses.
    if (badReply) (turn as CollectingTurn).deliveries.push({ channel: 'simulator', recipient: null as never, message: { kind: 'text', text: '' } });
  };
  const sentTo = async (recipient: string) =>
    ((await db.query('SELECT payload FROM outbox WHERE recipient = ? ORDER BY id', [recipient])) as { payload: string }[]).map(
      (r) => (JSON.parse(r.payload) as { text: string }).text,
    );

  beforeAll(async () => {
    const deadRedis = new RedisStateStore(DEAD_REDIS, 'nothing:');
    redisDown = await failureOf(() => deadRedis.get('dialogue:1'));
    await deadRedis.close();
  });
  beforeEach(async () => {
    ({ db, dispose } = await backend.open());
    await seedTwoPeople(db);
    outage = false;
    badReply = false;
    seen = [];
    bot = await createTestBot({ db, clock: testClock(), handler });
  });
  afterEach(async () => {
    await bot.close();
    await dispose();
  });

  it(`never gives up on an event because of an outage, however many passes (> ${MAX_ATTEMPTS}) it lasts`, async () => {
    await bot.inbox.accept(text('m-1', '第一条'), 'msg:m-1');
    await bot.inbox.accept(text('m-2', '第二条'), 'msg:m-2');
    outage = true;
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await bot.inboxWorker.drainAll();
    expect(seen).toEqual([]);
    const waiting: { status: string; attempts: number }[] = await db.query('SELECT status, attempts FROM inbox ORDER BY id');
    expect(waiting.map((r) => [r.status, Number(r.attempts)])).toEqual([['pending', 0], ['pending', 0]]);

    outage = false;
    await bot.inboxWorker.drainAll();
    expect(seen).toEqual(['第一条', '第二条']);
    expect(await sentTo('A1')).toEqual(['收到：第一条', '收到：第二条']);
  });

  it('still counts attempts, and gives up with an apology, when the database refuses what a turn queues', async () => {
    badReply = true;
    await bot.inbox.accept(text('m-3', '坏的'), 'msg:m-3');
    for (let i = 0; i < MAX_ATTEMPTS; i++) await bot.inboxWorker.drainAll();
    const [row]: { status: string; attempts: number }[] = await db.query(`SELECT status, attempts FROM inbox WHERE dedupe_key = 'msg:m-3'`);
    expect({ status: row.status, attempts: Number(row.attempts) }).toEqual({ status: 'failed', attempts: MAX_ATTEMPTS });
    expect(await sentTo('A1')).toEqual([GENERIC_APOLOGY]);
  });
});

describe.each(databaseBackends.slice(0, 1))('the outbox when the database fails right after a send ($name)', (backend) => {
  it('does not send again a message the platform took, and writes the outcome once the database answers', async () => {
    const { db, dispose } = await backend.open();
    await seedTwoPeople(db);
    const bot = await createTestBot({ db, clock: testClock() });
    const sent: string[] = [];
    const sender: ChannelSender = { channel: 'simulator', deliver: async (recipient, message) => void sent.push(`${recipient}:${message.kind === 'text' ? message.text : ''}`) };
    (bot.outbox as unknown as { senders: Map<string, ChannelSender> }).senders.set('simulator', sender);
    try {
      await bot.outbox.enqueue([
        { channel: 'simulator', recipient: 'A1', message: { kind: 'text', text: '一' } },
        { channel: 'simulator', recipient: 'A1', message: { kind: 'text', text: '二' } },
      ]);
      // The write of "sent" fails once, as when the connection drops just after the send.
      const finish = vi.spyOn(bot.outbox as unknown as { finish(id: number, values: unknown): Promise<void> }, 'finish');
      finish.mockRejectedValueOnce(Object.assign(new Error('Connection lost'), { code: 'PROTOCOL_CONNECTION_LOST', fatal: true }));
      await expect(bot.outbox.dispatchDue()).rejects.toThrow('Connection lost');
      expect(sent).toEqual(['A1:一']);

      // Even once its claim is stale, the message is not sent again; the one behind it goes out.
      (bot.clock as ReturnType<typeof testClock>).advance(5 * 60_000);
      await bot.outbox.dispatchDue();
      expect(sent).toEqual(['A1:一', 'A1:二']);
      const rows: { status: string }[] = await db.query('SELECT status FROM outbox ORDER BY id');
      expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    } finally {
      await bot.close();
      await dispose();
    }
  });
});

describe('a decision whose turn failed after it was recorded (Redis gone before the dialogue was saved)', () => {
  it('is answered on the retry as it was recorded: once, with its receipt, and the dialogue ends', async () => {
    const { db, dispose } = await databaseBackends[0].open();
    const clock = testClock();
    await importRosterFile(db, SAMPLE_ROSTER_PATH, clock);
    let failMark = false;
    const memory = new MemoryStateStore(clock);
    const state = Object.create(memory) as MemoryStateStore;
    state.set = async (key, value, ttlMs) => {
      if (failMark && key.startsWith('submitted:')) {
        failMark = false;
        throw new Error('Connection is closed.');
      }
      return memory.set(key, value, ttlMs);
    };
    const bot = await createTestBot({ db, clock, state });
    try {
      const person = async (code: string) => (await bot.roster.person(Number((await db.query('SELECT id FROM people WHERE code = ?', [code]))[0].id)))!;
      const { record } = await bot.services.tolerance.apply({
        draftKey: 'd-retry', applicant: await person('P014'), matterId: null, matterText: '滨江项目征地补偿问题', reason: '为赶工期先行签订补偿协议。',
        situations: [1], otherSituation: null, handedDown: false, involvesCityCadre: false, integrated: false, filingId: null, attachments: [], channel: 'simulator',
      });
      const [stage]: { id: number }[] = await db.query(`SELECT id FROM case_stages WHERE case_id = ? AND status = 'pending'`, [record.id]);
      let n = 0;
      const event = (e: { kind: 'text'; text: string } | { kind: 'click'; cardId: string; action: string }) => {
        n += 1;
        const base = { channel: 'simulator' as const, channelUserId: 'P012', sentAt: clock.now().toISOString() };
        return bot.inbox.accept(e.kind === 'text' ? { ...base, ...e, messageId: `r${n}` } : { ...base, ...e }, `msg:r${n}`);
      };
      const pass = async () => {
        await bot.inboxWorker.drainAll();
        await bot.outbox.dispatchDue();
      };
      const said = () => bot.transcript!.since('P012', 0).filter((m) => m.from === 'bot').map((m) => m.text ?? m.card?.title ?? '');

      await event({ kind: 'click', cardId: stageCardId({ id: Number(stage.id) }), action: `wfs:${stage.id}:approve` });
      await pass();
      await event({ kind: 'text', text: '情况属实，同意。' });
      await pass();
      failMark = true;
      await event({ kind: 'text', text: '提交' });
      await pass(); // the decision is committed, then Redis fails: the turn is put back
      expect(failMark).toBe(false);
      expect(await db.query(`SELECT status FROM inbox ORDER BY id DESC LIMIT 1`)).toEqual([{ status: 'pending' }]);
      await pass(); // the retry

      expect(said().filter((t) => t.includes('已记录您的意见：同意'))).toHaveLength(1);
      expect(said().filter((t) => t.includes('无需重复操作'))).toEqual([]);
      expect((await db.query(`SELECT action FROM audit_log WHERE action = 'stage.approve'`)).length).toBe(1);
      await event({ kind: 'text', text: '菜单' });
      await pass();
      expect(said().at(-1)).not.toContain('您正在填写');
    } finally {
      await bot.close();
      await dispose();
    }
  });
});
