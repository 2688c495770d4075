import type { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations';
import { AdjustmentOntoWorkflow1735800000000 } from '../../migrations/1735800000000-AdjustmentOntoWorkflow';
import { AuditLog } from '../../src/domain/audit';
import { nextNumber } from '../../src/domain/numbering';
import { createDataSource } from '../../src/storage/dataSource';
import { attachFieldCipher } from '../../src/storage/fieldCipher';
import { rekey } from '../../src/storage/rekey';
import { insert } from '../../src/storage/sql';
import { databaseBackends, testClock } from '../support/backends';
import { earlierRelease, emptyDatabase } from '../support/upgrades';
import { SimulatorChatter } from '../support/chatters/simulator';
import { testCipher } from '../support/fieldKeys';
import { createTestBot } from '../support/fixtures';
import { serve } from '../support/http';

/**
 * 组织调整 cases from before they ran on the workflow (migration 1735800000000): written the way the
 * earlier release wrote them — one in progress at 谈话 with its trigger, its 第十四条 talks and its
 * scheduled 第十五条 notice, one stopped by 第五条 at opening, one dropped at 考察核实 — then
 * migrated, read, carried on in chat, sealed, and migrated back.
 */

const BEFORE = migrations.indexOf(AdjustmentOntoWorkflow1735800000000);
const T = '2026-11-20T02:00:00.000Z';

const rows = async (db: DataSource, sql: string, params: unknown[] = []) => (await db.query(sql, params)) as Record<string, unknown>[];

describe.each(databaseBackends)('adjustment cases from before the workflow, migrated ($name)', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('moves them into cases with their stages, keeps their numbers and links, and lets the one in progress carry on', async () => {
    const database = await emptyDatabase(backend.name);
    cleanup.push(database.drop);
    const clock = testClock();
    const earlier = await earlierRelease(database.config, BEFORE, clock);
    const id = async (code: string) => Number((await rows(earlier, 'SELECT id FROM people WHERE code = ?', [code]))[0].id);
    const [hanXue, xuMin, tangWei, qian] = await Promise.all(['P027', 'P015', 'P018', 'P007'].map(id));
    const unitOf = async (personId: number) => Number((await rows(earlier, 'SELECT unit_id FROM people WHERE id = ?', [personId]))[0].unit_id);

    // A 容错 case already holds cases.id 1, so the adjustments' new ids are not their old ones.
    await insert(earlier, 'cases', {
      kind: 'tolerance', number: 'RC2026-0001', draft_key: 'd-rc', applicant_id: xuMin, unit_id: await unitOf(xuMin), matter_id: null, integrated: 0, path: 'ordinary',
      status: 'in_review', form: JSON.stringify({ applicantName: '徐敏' }), created_at: T, updated_at: T,
    });
    const oldCase = async (number: string, personId: number, c: Record<string, unknown>, stages: [string, object][]) => {
      await insert(earlier, 'adjustment_cases', {
        number, draft_key: `d-${number}`, person_id: personId, unit_id: await unitOf(personId), article: 8, item: 3, trigger_id: null, facts: '2026 年度民主测评不称职得票 34%，超过三分之一',
        carve_out: null, way: null, authority: null, unsuitable: null, early_retirement: 0, effective_on: null, influence_until: null, opened_by: qian, opened_at: T, updated_at: T, ...c,
      });
      const caseId = Number((await rows(earlier, 'SELECT id FROM adjustment_cases WHERE number = ?', [number]))[0].id);
      for (const [stage, data] of stages) {
        await insert(earlier, 'adjustment_stages', { case_id: caseId, stage, draft_key: `s-${number}-${stage}`, data: JSON.stringify(data), done_by: qian, done_at: T });
      }
      return caseId;
    };
    await insert(earlier, 'adjustment_triggers', {
      year: 2026, item: 3, subject_key: `person:${hanXue}`, person_id: hanXue, unit_id: null, facts: '2026 年度民主测评不称职得票 34%，超过三分之一', status: 'case_opened', case_id: null,
      handled_by: qian, handled_note: null, notified_at: T, created_at: T, updated_at: T,
    });
    const decision = { outcome: 'adjust', way: '免职', effectiveOn: '2026-12-01', decidedBy: '利港街道党工委会议 2026年第20次', unsuitable: true, earlyRetirement: false };
    const inProgress = await oldCase(
      'TZ2026-0001', hanXue,
      { trigger_id: 1, stage: 'talk', status: 'open', way: '免职', authority: 'adjust', unsuitable: 1, effective_on: '2026-12-01', influence_until: '2027-11-30' },
      [['inspection', { finding: 'confirmed', summary: '个别谈话 12 人，查阅年度考核材料。' }], ['proposal', { way: '免职', authority: 'adjust', opinion: '建议免去现职，另行安排工作。' }], ['decision', decision]],
    );
    await oldCase('TZ2026-0002', xuMin, { article: 11, item: null, facts: '本人因病长期不能正常工作。', carve_out: 'health', stage: 'done', status: 'referred' }, []);
    await oldCase('TZ2026-0003', tangWei, { item: 4, stage: 'done', status: 'dropped' }, [['inspection', { finding: 'unfounded', summary: '经考察，不属于不适宜担任现职。' }]]);
    await earlier.query('UPDATE adjustment_triggers SET case_id = ?', [inProgress]);
    await insert(earlier, 'cadre_adjustments', {
      draft_key: `case:${inProgress}`, case_id: inProgress, person_id: hanXue, kind: '免职', adjusted_on: '2026-12-01', ends_on: '2027-11-30', talk_period: 'quarter', note: 'TZ2026-0001', recorded_by: qian, created_at: T,
    });
    await insert(earlier, 'scheduled_jobs', {
      kind: 'influence-ended', unique_key: `influence-ended:case:${inProgress}`, payload: JSON.stringify({ caseId: inProgress, until: '2027-11-30' }), run_at: '2027-11-30T23:00:00.000Z', status: 'pending', attempts: 0,
    });
    await earlier.destroy();

    const later = attachFieldCipher(createDataSource(database.config), testCipher);
    await later.initialize();
    cleanup.push(async () => void (later.isInitialized && (await later.destroy())));
    expect((await later.runMigrations()).map((m) => m.name)).toEqual(migrations.slice(BEFORE).map((m) => new m().name));

    const moved = await rows(later, `SELECT id, number, status, applicant_id, outcome FROM cases WHERE kind = 'adjustment' ORDER BY id`);
    expect(moved.map((c) => [c.number, c.status, Number(c.applicant_id)])).toEqual([['TZ2026-0001', 'in_review', hanXue], ['TZ2026-0002', 'rejected', xuMin], ['TZ2026-0003', 'rejected', tangWei]]);
    expect(moved.map((c) => (c.outcome ? JSON.parse(String(c.outcome)).verdict : null))).toEqual([null, 'health', 'unfounded']);
    const newId = Number(moved[0].id);
    expect(newId).not.toBe(inProgress);
    const stages = await rows(later, 'SELECT stage_key, status, assignee_id, decided_by, findings FROM case_stages WHERE case_id = ? ORDER BY seq', [newId]);
    expect(stages.map((s) => [s.stage_key, s.status])).toEqual([['inspection', 'decided'], ['proposal', 'decided'], ['decision', 'decided'], ['talk', 'pending']]);
    expect(Number(stages[3].assignee_id)).toBe(qian);
    expect(JSON.parse(String(stages[1].findings))).toEqual({
      kind: 'record', opinion: '建议免去现职，另行安排工作。', details: [{ key: 'authority', label: '管理权限', value: '予以调整' }, { key: 'way', label: '调整方式', value: '免职' }],
    });
    expect(JSON.parse(String(stages[2].findings))).toMatchObject({ kind: 'finding', verdict: 'adjust', opinion: '免职，2026-12-01 生效（利港街道党工委会议 2026年第20次）；因不适宜担任现职' });
    expect(JSON.parse(String((await rows(later, 'SELECT form FROM cases WHERE id = ?', [newId]))[0].form))).toMatchObject({
      applicantName: '韩雪', article: 8, item: 3, triggerId: 1, proposal: { way: '免职', authority: 'adjust' }, decision: { way: '免职', effectiveOn: '2026-12-01', unsuitable: true, influenceUntil: '2027-11-30' },
    });
    // What pointed at the old case points at the new one.
    expect(Number((await rows(later, 'SELECT case_id FROM adjustment_triggers'))[0].case_id)).toBe(newId);
    expect((await rows(later, 'SELECT draft_key, case_id FROM cadre_adjustments')).map((r) => [r.draft_key, Number(r.case_id)])).toEqual([[`case:${newId}`, newId]]);
    const [job] = await rows(later, `SELECT unique_key, payload FROM scheduled_jobs WHERE kind = 'influence-ended'`);
    expect([job.unique_key, JSON.parse(String(job.payload))]).toEqual([`influence-ended:case:${newId}`, { caseId: newId, until: '2027-11-30' }]);
    const runner = later.createQueryRunner();
    expect([await runner.hasTable('adjustment_cases'), await runner.hasTable('adjustment_stages')]).toEqual([false, false]);
    await runner.release();
    // The register goes on after the numbers kept.
    expect(await later.transaction((tx) => nextNumber(tx, 'TZ', '2026'))).toBe('TZ2026-0004');

    // The case at 谈话 carries on: 查看调整 gives its officer the stage's card, and the talk closes it.
    const bot = await createTestBot({ db: later, clock });
    const server = await serve(bot.adminApp);
    cleanup.push(async () => {
      await server.close();
      await bot.worker.stop();
    });
    const officer = new SimulatorChatter({ adminUrl: server.url, bot }, 'P007');
    const view = await officer.says('查看调整 TZ2026-0001');
    expect(view.text).toContain('组织决定 · 钱志刚 · 2026-11-20\n  认定：经组织决定予以调整。免职，2026-12-01 生效（利港街道党工委会议 2026年第20次）；因不适宜担任现职。');
    expect(view.text).toContain('2026-12-01 免职，影响期至 2027-11-30（《能上能下办法》第十三条：一年内不得提拔）。');
    expect(view.cards.map((c) => c.title)).toEqual(['组织调整待您办理：谈话']);
    expect((await officer.taps('填写谈话')).text).toContain('TZ2026-0001 韩雪：谈话（《能上能下办法》第十二条）');
    await officer.says('今天');
    await officer.says('郭志明');
    await officer.says('宣布免职决定，本人表示服从组织安排。');
    expect((await officer.taps('提交')).text).toBe('已登记 TZ2026-0001 的谈话。程序已完成（《能上能下办法》第十二条）。');
    expect((await rows(later, 'SELECT status FROM cases WHERE id = ?', [newId]))[0].status).toBe('granted');

    // Written in plaintext by the migration, sealed by the start after it.
    await rekey(later, new AuditLog(clock), { plaintextOnly: true });
    expect((await rows(later, `SELECT form FROM cases WHERE kind = 'adjustment'`)).every((r) => String(r.form).startsWith('enc:'))).toBe(true);

    // And back: the old tables, with what pointed at the cases pointing at their old ids again.
    await later.undoLastMigration();
    const back = await rows(later, 'SELECT id, number, status, carve_out, way, influence_until FROM adjustment_cases ORDER BY id');
    expect(back.map((c) => [c.number, c.status, c.carve_out, c.way, c.influence_until])).toEqual([
      ['TZ2026-0001', 'closed', null, '免职', '2027-11-30'], ['TZ2026-0002', 'referred', 'health', null, null], ['TZ2026-0003', 'dropped', null, null, null],
    ]);
    expect((await rows(later, 'SELECT stage FROM adjustment_stages WHERE case_id = ? ORDER BY id', [back[0].id])).map((s) => s.stage)).toEqual(['inspection', 'proposal', 'decision', 'talk']);
    expect(Number((await rows(later, 'SELECT case_id FROM adjustment_triggers'))[0].case_id)).toBe(Number(back[0].id));
    expect(await rows(later, `SELECT id FROM cases WHERE kind = 'adjustment'`)).toEqual([]);
  });
});
