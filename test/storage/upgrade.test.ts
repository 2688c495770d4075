import { DataSource, type DataSourceOptions } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations';
import { Cases1732900000000 } from '../../migrations/1732900000000-Cases';
import { Outbox } from '../../src/bot/outbox';
import { OutboxNotifier } from '../../src/bot/outboxNotifier';
import { createLogger } from '../../src/logger';
import { RosterRepository } from '../../src/roster/rosterRepository';
import { TalkRecords } from '../../src/domain/talks/talkRecords';
import { importRosterFile } from '../../src/roster/importRoster';
import { SAMPLE_ROSTER_PATH } from '../../src/roster/sampleRoster';
import { createDataSource } from '../../src/storage/dataSource';
import { rekey } from '../../src/storage/rekey';
import { AuditLog } from '../../src/domain/audit';
import { attachFieldCipher } from '../../src/storage/fieldCipher';
import { beforeEncryption, testCipher } from '../support/fieldKeys';
import { insert } from '../../src/storage/sql';
import { databaseBackends, testClock } from '../support/backends';
import { emptyDatabase } from '../support/upgrades';
import { createTestBot } from '../support/fixtures';

/**
 * The data written below needs the tables up to the one that brought cases; every migration after
 * it (N of them: today TalkQuotas and JointReviews, and whatever comes next) is run on a database
 * that already holds that data, as on a deploy.
 */
const DATA_NEEDS = migrations.indexOf(Cases1732900000000) + 1;
const N = migrations.length - DATA_NEEDS;

const TABLES = ['units', 'people', 'role_assignments', 'talks', 'talk_participants', 'cases', 'case_stages', 'audit_log', 'inbox', 'outbox'];

/** An empty database of this kind that two data sources can open one after the other. */
async function counts(db: DataSource): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLES) result[table] = Number(((await db.query(`SELECT COUNT(*) AS n FROM ${table}`)) as { n: number }[])[0].n);
  return result;
}

describe.each(databaseBackends)('migrating a $name database that holds data', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it(`runs the last ${N} migrations over a roster, a talk, a case in review and work in flight, and all of it stays usable`, async () => {
    expect(N).toBeGreaterThan(0);
    const database = await emptyDatabase(backend.name);
    cleanup.push(database.drop);
    const clock = testClock();

    // The earlier release: its migrations only, and data written through the application.
    const earlier = new DataSource({ ...createDataSource(database.config).options, migrations: migrations.slice(0, DATA_NEEDS) } as DataSourceOptions);
    attachFieldCipher(earlier, beforeEncryption);
    await earlier.initialize();
    expect((await earlier.runMigrations()).map((m) => m.name)).toEqual(migrations.slice(0, DATA_NEEDS).map((m) => new m().name));
    await importRosterFile(earlier, SAMPLE_ROSTER_PATH, clock);
    const code = async (db: DataSource, c: string) => Number(((await db.query('SELECT id FROM people WHERE code = ?', [c])) as { id: number }[])[0].id);
    // A talk as that release wrote it: its number was its row id, not stored.
    const talk = {
      talkerId: await code(earlier, 'P012'), talkeeIds: [await code(earlier, 'P014')], talkedOn: '2026-11-20', kind: '年度谈心谈话' as const, place: '局长办公室',
      topics: ['思想', '工作'], summary: '交流了综合科年度工作总结的安排。', issuesRaised: null, followUps: null, channel: 'chat', createdAt: clock.now().toISOString(), withdrawnAt: null,
    };
    await insert(earlier, 'talks', {
      draft_key: 'd-upgrade-talk', talker_id: talk.talkerId, talked_on: talk.talkedOn, kind: talk.kind, place: talk.place, topics: '思想、工作',
      summary: talk.summary, issues_raised: null, follow_ups: null, channel: talk.channel, created_at: talk.createdAt,
    });
    const talkId = Number((await earlier.query(`SELECT id FROM talks WHERE draft_key = 'd-upgrade-talk'`))[0].id);
    await insert(earlier, 'talk_participants', { talk_id: talkId, person_id: talk.talkeeIds[0] });
    // Its domain, not a whole bot of today's code: that would read tables this release has yet to add.
    const roster = new RosterRepository(earlier);
    const outbox = new Outbox(earlier, clock, new Map(), createLogger('silent'), 'earlier');
    const notifier = new OutboxNotifier(outbox, roster, ['simulator'], createLogger('silent'));
    // A case in review as the release that brought cases wrote it (its columns, its first stage
    // open): today's code writes columns later migrations add. test/storage/workflowRecords.test.ts
    // goes through the records of that release's chains in detail.
    const now = clock.now().toISOString();
    const [liuYang, yangFan, zonghe] = [await code(earlier, 'P012'), await code(earlier, 'P014'), Number((await earlier.query(`SELECT id FROM units WHERE code = 'JG03-01'`))[0].id)];
    await earlier.query(
      `INSERT INTO cases (kind, number, draft_key, applicant_id, unit_id, matter_id, integrated, status, form, created_at, updated_at)
       VALUES ('tolerance', 'RC2026-0001', 'd-upgrade-case', ?, ?, NULL, 0, 'in_review', ?, ?, ?)`,
      [yangFan, zonghe, JSON.stringify({ applicantName: '杨帆', matter: '滨江项目征地补偿问题', reason: '为赶工期先行签订补偿协议。', situations: [1] }), now, now],
    );
    const record = { id: Number((await earlier.query(`SELECT id FROM cases WHERE number = 'RC2026-0001'`))[0].id) };
    await earlier.query(`INSERT INTO case_stages (case_id, seq, stage_key, assignee_id, status, opened_at) VALUES (?, 1, 'unit', ?, 'pending', ?)`, [record.id, liuYang, now]);
    // Work in flight across the deploy: a received event not yet handled (stored as the earlier
    // release stored it), a notification unsent.
    await notifier.notify(earlier, liuYang, { kind: 'text', text: 'RC2026-0001 待您审批。' });
    await insert(earlier, 'inbox', {
      channel: 'simulator', dedupe_key: 'msg:u1', user_key: 'simulator:P012', status: 'pending', attempts: 0, received_at: clock.now().toISOString(),
      payload: JSON.stringify({ kind: 'text', channel: 'simulator', channelUserId: 'P012', messageId: 'u1', text: '我的待办', sentAt: clock.now().toISOString() }),
    });
    const held = await counts(earlier);
    expect(held.outbox).toBeGreaterThan(0);
    await earlier.destroy();

    // The new release: every migration, run on start as MIGRATE_ON_START does.
    const later = attachFieldCipher(createDataSource(database.config), testCipher);
    await later.initialize();
    cleanup.push(async () => void (later.isInitialized && (await later.destroy())));
    expect((await later.runMigrations()).map((m) => m.name)).toEqual(migrations.slice(DATA_NEEDS).map((m) => new m().name));
    expect(await counts(later)).toEqual(held);
    // What the earlier release wrote in plaintext is sealed on start; the inbox and outbox stay as they are.
    const plainSummary = async () => ((await later.query('SELECT summary FROM talks WHERE id = ?', [talkId])) as { summary: string }[])[0].summary;
    expect(await plainSummary()).toBe(talk.summary);
    const sealed = await rekey(later, new AuditLog(clock), { plaintextOnly: true });
    expect(sealed.tables.talks.values).toBe(1);
    expect(sealed.tables.cases.values).toBe(1);
    expect(await plainSummary()).toMatch(/^enc:1:test1:/);

    const after = await createTestBot({ db: later, clock });
    cleanup.push(async () => after.worker.stop());
    // The talk reads back as it was written, under the number it had; the year's TH register goes on after it.
    const talks = new TalkRecords(later, clock);
    const number = `TH2026-${String(talkId).padStart(5, '0')}`;
    expect(await talks.byNumber(number)).toEqual({ ...talk, id: talkId, number });
    const next = await talks.record({ ...talk, draftKey: 'd-after-upgrade' });
    expect(next.number).toBe(`TH2026-${String(talkId + 1).padStart(5, '0')}`);
    // The case can still be decided, and moves on to its next stage.
    const [stage]: { id: number; assignee_id: number }[] = await later.query(`SELECT id, assignee_id FROM case_stages WHERE case_id = ? AND status = 'pending'`, [record.id]);
    const approver = (await after.roster.person(Number(stage.assignee_id)))!;
    expect(await after.services.workflow.decide({ stageId: Number(stage.id), actor: approver, entry: { kind: 'opinion', stance: 'agree', opinion: '情况属实，同意。' }, channel: 'simulator' })).toContain('已记录您的意见：同意');
    expect(await later.query(`SELECT stage_key, status FROM case_stages WHERE case_id = ? ORDER BY seq`, [record.id])).toEqual([
      { stage_key: 'unit', status: 'decided' },
      { stage_key: 'discipline', status: 'pending' },
    ]);
    // The event received before the deploy is handled after it, and everything queued is sent.
    expect(await after.inboxWorker.drainAll()).toBe(1);
    await after.outbox.dispatchDue();
    expect(await later.query(`SELECT status FROM inbox`)).toEqual([{ status: 'done' }]);
    expect(Number(((await later.query(`SELECT COUNT(*) AS n FROM outbox WHERE status <> 'sent'`)) as { n: number }[])[0].n)).toBe(0);
  });
});
