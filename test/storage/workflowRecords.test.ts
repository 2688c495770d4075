import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations';
import { WorkflowRecords1734000000000 } from '../../migrations/1734000000000-WorkflowRecords';
import { loadApprovalFormData } from '../../src/documents/approvalForm';
import { loadFilingFormData } from '../../src/documents/filingForm';
import { createDataSource } from '../../src/storage/dataSource';
import { attachFieldCipher } from '../../src/storage/fieldCipher';
import { testCipher } from '../support/fieldKeys';
import { insert } from '../../src/storage/sql';
import { databaseBackends, testClock } from '../support/backends';
import { earlierRelease, emptyDatabase } from '../support/upgrades';
import { SimulatorChatter } from '../support/chatters/simulator';
import { createTestBot } from '../support/fixtures';
import { serve } from '../support/http';

/**
 * Cases written before the stage kinds (migration 1734000000000): their stage keys are the ones
 * the new definitions use, so they are not moved; their JSON is converted in place. Written here
 * the way the earlier release wrote them, then migrated, then carried on through chat — including
 * taps on cards that release had sent.
 */

const BEFORE = migrations.indexOf(WorkflowRecords1734000000000);
const T = '2026-11-20T02:00:00.000Z';
const OLD_LOOKS = { 看问题性质: '探索创新中的失误。', 看工作依据: '界限不明。', 看主观动机: '出于公心。', 看决策过程: '集体决策。', 看履职取向: '积极作为。', 看纠错态度: '及时补救。' };

describe.each(databaseBackends)('cases from before the stage kinds, migrated ($name)', (backend) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('converts their records, keeps them readable, and lets cases in flight carry on from the cards already sent', async () => {
    const database = await emptyDatabase(backend.name);
    cleanup.push(database.drop);
    const clock = testClock();
    const earlier = await earlierRelease(database.config, BEFORE, clock);
    const id = async (code: string) => Number(((await earlier.query('SELECT id FROM people WHERE code = ?', [code])) as { id: number }[])[0].id);
    const unit = async (code: string) => Number(((await earlier.query('SELECT id FROM units WHERE code = ?', [code])) as { id: number }[])[0].id);
    const [yangFan, liuYang, wuHaiyan, chenJianguo, liMinghua, qianZhigang] = await Promise.all(['P014', 'P012', 'P009', 'P001', 'P002', 'P007'].map(id));
    const zonghe = await unit('JG03-01');

    /** A case as the earlier release stored it, with its stages; returns the case id and its stage ids. */
    const oldCase = async (
      number: string,
      c: { kind: string; status: string; integrated?: boolean; form: object; outcome?: object; revocation?: object },
      stages: { key: string; assignee: number; status: string; decision?: string; opinion?: string; findings?: object }[],
    ) => {
      await insert(earlier, 'cases', {
        kind: c.kind, number, draft_key: `d-${number}`, applicant_id: yangFan, unit_id: zonghe, matter_id: null, integrated: c.integrated ? 1 : 0,
        status: c.status, form: JSON.stringify({ applicantName: '杨帆', ...c.form }), outcome: c.outcome ? JSON.stringify(c.outcome) : null,
        reported_on: null, revocation: c.revocation ? JSON.stringify(c.revocation) : null, created_at: T, updated_at: T,
      });
      const caseId = Number(((await earlier.query('SELECT id FROM cases WHERE number = ?', [number])) as { id: number }[])[0].id);
      const ids: number[] = [];
      for (const [i, s] of stages.entries()) {
        await insert(earlier, 'case_stages', {
          case_id: caseId, seq: i + 1, stage_key: s.key, assignee_id: s.assignee, status: s.status, decision: s.decision ?? null, opinion: s.opinion ?? null,
          findings: s.findings ? JSON.stringify(s.findings) : null, decided_by: s.decision ? s.assignee : null, decided_at: s.decision ? T : null,
          card_id: null, opened_at: T, reminded_at: null,
        });
        ids.push(Number(((await earlier.query('SELECT id FROM case_stages WHERE case_id = ? AND seq = ?', [caseId, i + 1])) as { id: number }[])[0].id));
      }
      return { caseId, stageIds: ids };
    };
    const tolerance = { post: '综合科科长', nature: '行政', matter: '滨江项目征地补偿问题', reason: '为赶工期先行签订补偿协议。', situations: [1] };
    const disciplineFound = { key: 'discipline', assignee: wuHaiyan, status: 'decided', decision: 'approve', opinion: '建议予以容错免责。', findings: { sixLooks: OLD_LOOKS, conclusion: '予以容错免责', outcome: { exemptions: [0, 2] } } };

    // In flight: waiting for the 基层党委 after the 纪工委 proposed 第七条（一）（三）.
    const waiting = await oldCase('RC2026-0001', { kind: 'tolerance', status: 'in_review', form: tolerance }, [
      { key: 'unit', assignee: liuYang, status: 'returned', decision: 'return', opinion: '请补充会议纪要。' },
      { key: 'unit', assignee: liuYang, status: 'decided', decision: 'approve', opinion: '同意。' },
      disciplineFound,
      { key: 'committee', assignee: chenJianguo, status: 'pending' },
    ]);
    // Concluded: granted (八个一体化), and granted then revoked under 第十条.
    const granted = await oldCase('RC2026-0002', { kind: 'tolerance', status: 'granted', integrated: true, form: tolerance, outcome: { exemptions: [0, 2] } }, [
      { key: 'unit', assignee: liuYang, status: 'decided', decision: 'approve', opinion: '同意。' },
      disciplineFound,
      { key: 'committee', assignee: chenJianguo, status: 'decided', decision: 'approve', opinion: '同意。' },
      { key: 'zone', assignee: chenJianguo, status: 'decided', decision: 'approve', opinion: '开发区党工委同意。' },
    ]);
    const revocation = { reason: '第十条（二）调查核实中故意隐瞒，不如实说明情况的', description: '隐瞒了损失金额。', by: wuHaiyan, at: T };
    const revoked = await oldCase('RC2026-0003', { kind: 'tolerance', status: 'revoked', form: tolerance, outcome: { exemptions: [3] }, revocation }, []);
    // A filing in flight at the 纪工委, whose row was a plain opinion then, after its 集体会审.
    const filingForm = { unitName: '综合科', title: '容缺受理试点', reason: '先受理后补件。', risks: '补件不到位。', periodStart: '2026-12-01', periodEnd: '2027-06-30' };
    const filing = await oldCase('FB2026-0004', { kind: 'filing', status: 'in_review', form: filingForm }, [
      { key: 'unit', assignee: liuYang, status: 'decided', decision: 'approve', opinion: '同意备案。' },
      { key: 'supervisor', assignee: liMinghua, status: 'decided', decision: 'approve', opinion: '同意。' },
      { key: 'review', assignee: wuHaiyan, status: 'decided', decision: 'approve', opinion: '经集体会审，同意。', findings: { reviews: [{ reviewerId: qianZhigang, stance: '同意', opinion: '无意见。' }] } },
      { key: 'discipline', assignee: wuHaiyan, status: 'pending' },
    ]);
    const evaluated = await oldCase('FB2026-0005', { kind: 'filing', status: 'granted', form: filingForm, outcome: { evaluation: { rating: '好', comment: '成效明显。', by: chenJianguo } } }, []);
    await earlier.destroy();

    const later = attachFieldCipher(createDataSource(database.config), testCipher);
    await later.initialize();
    cleanup.push(async () => void (later.isInitialized && (await later.destroy())));
    expect((await later.runMigrations()).map((m) => m.name)).toEqual(migrations.slice(BEFORE).map((m) => new m().name));

    const findings = async (stageId: number) => JSON.parse(((await later.query('SELECT findings FROM case_stages WHERE id = ?', [stageId])) as { findings: string }[])[0].findings);
    const caseField = async (caseId: number, column: string) => JSON.parse(((await later.query(`SELECT ${column} AS v FROM cases WHERE id = ?`, [caseId])) as { v: string }[])[0].v);
    expect(await findings(waiting.stageIds[0])).toEqual({ kind: 'return', question: '请补充会议纪要。' });
    expect(await findings(waiting.stageIds[1])).toEqual({ kind: 'opinion', stance: 'agree', opinion: '同意。' });
    expect(await findings(waiting.stageIds[2])).toMatchObject({ kind: 'finding', verdict: 'grant', outcomes: [0, 2], criteria: expect.arrayContaining([{ key: 'nature', title: '看问题性质', finding: '探索创新中的失误。' }]) });
    expect(await findings(filing.stageIds[2])).toEqual({ kind: 'jointReview', stance: 'agree', opinion: '经集体会审，同意。', reviews: [{ reviewerId: qianZhigang, stance: '同意', opinion: '无意见。' }] });
    expect(await caseField(granted.caseId, 'outcome')).toMatchObject({ verdict: 'grant', outcomes: [0, 2], by: 'zone' });
    expect(await caseField(revoked.caseId, 'revocation')).toMatchObject({ ground: 1, previousStatus: 'granted', reason: revocation.reason });
    expect(await caseField(evaluated.caseId, 'form')).toMatchObject({ evaluation: { rating: '好' } });
    expect((await later.query('SELECT path FROM cases ORDER BY id')).map((r: { path: string }) => r.path)).toEqual(['ordinary', 'integrated', 'ordinary', 'ordinary', 'ordinary']);

    // Read as the forms read them.
    const grantedForm = (await loadApprovalFormData(later, granted.caseId))!;
    expect(grantedForm).toMatchObject({ path: 'integrated', granted: [0, 2], zone: { signer: '陈建国' } });
    expect((await loadApprovalFormData(later, revoked.caseId))!).toMatchObject({ granted: [3], revocation: { reason: revocation.reason, previousStatus: 'granted' } });
    expect((await loadFilingFormData(later, evaluated.caseId))!.evaluation).toEqual({ rating: '好', comment: '成效明显。', by: '陈建国' });

    // The cases in flight carry on, from the buttons of the cards the earlier release sent.
    const bot = await createTestBot({ db: later, clock });
    // The simulator is on the admin listener.
    const server = await serve(bot.adminApp);
    cleanup.push(async () => {
      await server.close();
      await bot.worker.stop();
    });
    const as = (code: string) => new SimulatorChatter({ adminUrl: server.url, bot }, code);
    const head = as('P001');
    const asked = await head.tapsOn(`wf-st${waiting.stageIds[3]}`, `wfs:${waiting.stageIds[3]}:approve`);
    expect(asked.text).toContain('纪（工）委认定意见：予以容错免责，作《容错细则》第七条（一）（三）处理');
    await head.taps('否');
    await head.says('同意纪工委意见。');
    await head.taps('提交');
    expect(await caseField(waiting.caseId, 'outcome')).toMatchObject({ verdict: 'grant', outcomes: [0, 2] });
    expect(as('P014').transcript().some((m) => m.text?.startsWith('【批复】RC2026-0001'))).toBe(true);

    const discipline = as('P009');
    const finding = await discipline.tapsOn(`wf-st${filing.stageIds[3]}`, `wfs:${filing.stageIds[3]}:approve`);
    expect(finding.text).toContain('会审意见（吴海燕）：同意。经集体会审，同意。');
    await discipline.taps('同意备案');
    await discipline.says('同意备案。');
    await discipline.taps('提交');
    expect((await later.query('SELECT stage_key, status FROM case_stages WHERE case_id = ? ORDER BY seq', [filing.caseId])).at(-1)).toEqual({ stage_key: 'committee', status: 'pending' });

    // And the conversion undoes: down (of it and of every migration after it) gives the earlier shapes back.
    for (let i = BEFORE; i < migrations.length; i++) await later.undoLastMigration();
    expect(await findings(waiting.stageIds[2])).toEqual({ sixLooks: OLD_LOOKS, conclusion: '予以容错免责', outcome: { exemptions: [0, 2] } });
    expect(await caseField(granted.caseId, 'outcome')).toEqual({ exemptions: [0, 2] });
    expect(await caseField(evaluated.caseId, 'outcome')).toEqual({ evaluation: { rating: '好', comment: '成效明显。', by: chenJianguo } });
  });
});
