import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corpsAnalysisXlsx } from '../../../src/documents/corpsAnalysis';
import type { OutboundMessage } from '../../../src/channels/port';
import { AuditLog } from '../../../src/domain/audit';
import type { DecisionInput, Inspection, OpenCase } from '../../../src/domain/adjustment/adjustmentService';
import { importLedgerFile } from '../../../src/domain/assessment/importLedger';
import { SAMPLE_LEDGER } from '../../../src/domain/assessment/sampleLedger';
import { NotAllowedError } from '../../../src/errors';
import type { Person } from '../../../src/roster/types';
import { databaseBackends } from '../../support/backends';
import { openSampleZone, RecordingNotifier, type SampleZone } from '../../support/sampleZone';

const text = (messages: OutboundMessage[]) => messages.map((m) => (m.kind === 'text' ? m.text : m.kind === 'card' ? `[${m.card.title}]` : '')).join('\n');

describe.each(databaseBackends)('组织调整 on the workflow (能上能下办法 第十二条) on $name', (backend) => {
  let zone: SampleZone;
  let notifier: RecordingNotifier;
  let officer: Person;
  let drafts = 0;
  const service = () => zone.services.adjustment;
  const trigger = async (item: number) => Number((await zone.db.query('SELECT id FROM adjustment_triggers WHERE item = ? AND year = 2026', [item]))[0].id);
  const openFor = (code: string, extra: Partial<OpenCase> = {}) =>
    service().open({ draftKey: `open-${++drafts}`, personId: zone.id(code), article: 8, item: 3, facts: '2026 年度民主测评不称职得票 34%，超过三分之一', triggerId: null, carveOut: null, actor: officer, channel: 'test', ...extra });
  /** The stage the case waits on. */
  const waiting = async (caseId: number) => (await zone.services.cases.stages(caseId)).find((s) => s.status === 'pending')!;
  const inspect = async (caseId: number, verdict: Inspection['verdict'] = 'confirmed') =>
    service().inspect((await waiting(caseId)).id, officer, { verdict, summary: '个别谈话 12 人，查阅年度考核材料。' }, 'test');
  const propose = async (caseId: number) => service().propose((await waiting(caseId)).id, officer, { way: '免职', authority: 'adjust', opinion: '建议免去现职，另行安排工作。' }, 'test');
  const decide = async (caseId: number, d: Partial<DecisionInput> = {}) =>
    service().decide((await waiting(caseId)).id, officer, { adjust: true, way: '免职', effectiveOn: '2026-12-01', decidedBy: '利港街道党工委会议 2026年第20次', unsuitable: true, earlyRetirement: false, ...d }, 'test');
  const cardsTo = (code: string) => notifier.sent.filter((s) => zone.code(s.personId) === code && s.message.kind === 'card').map((s) => (s.message.kind === 'card' ? s.message.card.title : ''));

  beforeEach(async () => {
    notifier = new RecordingNotifier();
    zone = await openSampleZone(backend, { notifier });
    for (const { year, path } of SAMPLE_LEDGER) await importLedgerFile(zone.db, year, path, { clock: zone.clock, audit: new AuditLog(zone.clock) });
    officer = await zone.person('P007');
  });
  afterEach(async () => zone.dispose());

  it('when 韩雪’s case goes 考察核实 → 提出建议 → 组织决定 → 谈话, then her influence period, her secretary’s talks and the 第十五条 notice follow', async () => {
    const opened = await openFor('P027', { triggerId: await trigger(3) });
    expect(text(opened.messages)).toBe('已立案 TZ2026-0001：韩雪，《能上能下办法》第八条（三）。下一步：考察核实（钱志刚）（《能上能下办法》第十二条）。');
    expect(opened.record).toMatchObject({ kind: 'adjustment', status: 'in_review', applicantId: zone.id('P027') });
    expect((await zone.db.query('SELECT status, case_id FROM adjustment_triggers WHERE item = 3'))[0]).toMatchObject({ status: 'case_opened' });
    // 郑晓燕, the other 组织人事 officer, sees her copy of the trigger card greyed out; 钱志刚 gets the stage's card; 韩雪 hears nothing.
    expect(notifier.sent.filter((s) => zone.code(s.personId) === 'P008' && s.message.kind === 'cardUpdate').map((s) => s.message)).toContainEqual(
      expect.objectContaining({ closedLabel: '钱志刚已立案 TZ2026-0001' }),
    );
    expect(cardsTo('P007')).toEqual(['组织调整待您审批：考察核实']);

    const id = opened.record.id;
    expect((await inspect(id)).text).toBe('已记录您的认定：情况属实（TZ2026-0001，考察核实）。');
    expect((await propose(id)).text).toBe('已登记 TZ2026-0001 的提出建议。建议：予以调整，免职。');
    notifier.sent.length = 0;
    const decided = await decide(id);
    expect(decided.text).toBe(
      '已记录您的认定：经组织决定予以调整（TZ2026-0001，组织决定）。影响期至 2027-11-30（《能上能下办法》第十三条：因不适宜担任现职免职的，一年内不得提拔）。' +
        '已通知其所在单位党组织书记郭志明定期与其谈心谈话（《能上能下办法》第十四条）。',
    );
    expect(decided.record.form.decision).toEqual({ way: '免职', effectiveOn: '2026-12-01', decidedBy: '利港街道党工委会议 2026年第20次', unsuitable: true, earlyRetirement: false, influenceUntil: '2027-11-30' });
    expect(cardsTo('P021')).toEqual(['被调整干部谈心谈话：韩雪']);
    expect(cardsTo('P007')).toEqual(['组织调整待您办理：谈话']);

    // 第十四条: 郭志明 owes 韩雪 a talk each quarter (the zone's setting) from 2026-12-01.
    const owed = (await zone.services.quotas.compute(2026, '2026-12-02')).obligations.find((o) => o.talkeeId === zone.id('P027') && o.reasons.includes('adjusted'));
    expect(owed?.slots.map((s) => s.from)).toEqual(['2026-12-01']);

    const talked = await service().talk((await waiting(id)).id, officer, { talkedOn: '2026-12-02', talker: { id: zone.id('P021'), name: '郭志明' }, summary: '宣布免职决定，本人表示服从组织安排。' }, 'test');
    expect(talked.text).toBe('已登记 TZ2026-0001 的谈话。程序已完成（《能上能下办法》第十二条）。');
    expect(talked.record.status).toBe('granted');
    const timeline = await zone.services.inquiry.timeline(talked.record);
    expect(timeline).toContain('组织决定 · 钱志刚 · 2026-11-27\n  认定：经组织决定予以调整。免职，2026-12-01 生效（利港街道党工委会议 2026年第20次）；因不适宜担任现职。');
    expect(timeline).toContain('谈话 · 钱志刚 · 2026-11-27\n  谈话日期：2026-12-02；谈话人：郭志明。宣布免职决定，本人表示服从组织安排。');
    expect(notifier.sent.filter((s) => s.personId === zone.id('P027'))).toEqual([]);

    // 干部情况 and the 干部队伍综合分析 read the case as the workflow keeps it.
    const profile = await zone.services.profiles.read('韩雪', await zone.person('P005'), 'test');
    expect(profile).toContain('  · TZ2026-0001（《能上能下办法》第八条（三））：已调整，2026-12-01 免职，影响期至 2027-11-30（《能上能下办法》第十三条：一年内不得提拔）');
    expect(profile).toContain('被调整干部谈心谈话（《能上能下办法》第十四条“定期”；本区设定每季度一次）：郭志明');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await corpsAnalysisXlsx({ db: zone.db, lists: zone.services.incentives, cases: zone.services.cases }, 2026, zone.clock.now())) as unknown as ArrayBuffer);
    const rowOf = (sheet: string) => [...book.getWorksheet(sheet)!.getSheetValues()].map((r) => (Array.isArray(r) ? r.slice(1) : [])).find((r) => r[0] === 'TZ2026-0001');
    expect(rowOf('组织调整')).toEqual(['TZ2026-0001', '韩雪', '利港街道城建科', '第八条（三） 2026 年度民主测评不称职得票 34%，超过三分之一', '已调整', '予以调整', '免职', '2026-12-01', '2027-11-30']);
    expect(rowOf('影响期')).toEqual(['TZ2026-0001', '韩雪', '利港街道城建科', '免职', '2026-12-01', '2027-11-30', '一年内不得提拔', '影响期内']);

    // 第十五条: the morning after 2027-11-30, 组织人事部门 is told she may again be considered.
    const notices = () => notifier.sent.filter((s) => s.message.kind === 'text' && s.message.text.startsWith('【影响期满】'));
    zone.clock.set(new Date('2027-11-30T12:00:00Z'));
    await zone.scheduler().runDue();
    expect(notices()).toEqual([]);
    zone.clock.set(new Date('2027-12-01T01:00:00Z'));
    await zone.scheduler().runDue();
    expect(notices().map((s) => zone.code(s.personId))).toEqual(['P007', 'P008']);
    const notice = notices()[0].message;
    expect(notice.kind === 'text' && notice.text).toContain('【影响期满】韩雪（TZ2026-0001，2026-12-01 免职）的影响期已于 2027-11-30 期满。《能上能下办法》第十五条：“被组织调整的干部在影响期满后');
  });

  it('when the decision is not 因不适宜担任现职, then no influence period follows, but the 第十四条 talks do', async () => {
    const { record } = await openFor('P027');
    await inspect(record.id);
    await propose(record.id);
    const decided = await decide(record.id, { way: '调离岗位', unsuitable: false, earlyRetirement: true });
    expect(decided.text).toContain('未认定因不适宜担任现职调整，不适用《能上能下办法》第十三条的影响期。');
    expect(decided.text).toContain('本人因个人原因（非身体原因）申请提前退休：《能上能下办法》第十三条：“因个人原因（非身体原因）申请提前退休的，退休后不再享受原职务层次相应待遇”。');
    expect(decided.record.form.decision).toMatchObject({ influenceUntil: null, earlyRetirement: true });
    expect(await zone.db.query(`SELECT kind FROM scheduled_jobs WHERE kind = 'influence-ended'`)).toEqual([]);
    expect((await zone.db.query('SELECT ends_on FROM cadre_adjustments'))[0].ends_on).toBe('2027-11-30');
  });

  it('when the adjustment is for health reasons, then 第五条 stops it: recorded, concluded, and no stage opened', async () => {
    const { record, messages } = await openFor('P015', { article: 11, item: null, facts: '本人因病长期不能正常工作。', carveOut: 'health' });
    expect(text(messages)).toBe(
      '已登记 TZ2026-0001（徐敏，《能上能下办法》第十一条）。因健康原因调整：《能上能下办法》第五条：“对因健康原因调整以及涉及问责追责和违纪违法的，按照有关规定办理”。本案不按本办法的调整程序办理，已记录并终止。',
    );
    expect(record).toMatchObject({ status: 'rejected', outcome: expect.objectContaining({ verdict: 'health' }) });
    expect(await zone.services.cases.stages(record.id)).toEqual([]);
    expect(await zone.services.inquiry.timeline(record)).toContain('结论：因健康原因调整，按照有关规定办理（《能上能下办法》第五条）');
  });

  it('when 考察核实 finds a matter of 违纪违法, or nothing, then the case ends there', async () => {
    const first = await openFor('P027');
    expect((await inspect(first.record.id, 'discipline')).text).toContain('涉及违纪违法：《能上能下办法》第五条');
    expect((await zone.services.cases.get(first.record.id))?.status).toBe('rejected');
    const second = await openFor('P026', { item: 4 });
    expect((await inspect(second.record.id, 'unfounded')).text).toBe('已记录您的认定：经核实不属于不适宜担任现职，不予调整（TZ2026-0002，考察核实）。案件办结，未作调整。');
    expect(await zone.db.query(`SELECT status FROM case_stages WHERE status = 'pending'`)).toEqual([]);
  });

  it('refuses, and writes down, anyone but 组织人事部门 at opening and anyone but the stage’s officer at a stage; a second submit or a stale card changes nothing', async () => {
    const outsider = await zone.person('P012');
    await expect(service().open({ draftKey: 'x', personId: zone.id('P027'), article: 7, item: 1, facts: '政治表现问题的具体情况说明。', triggerId: null, carveOut: null, actor: outsider, channel: 'test' })).rejects.toThrow(NotAllowedError);
    const { record } = await openFor('P027', { triggerId: await trigger(3) });
    await expect(openFor('P027', { triggerId: await trigger(3) })).rejects.toThrow(/这条预警已经处理过了/);
    const stage = await waiting(record.id);
    await expect(service().inspect(stage.id, outsider, { verdict: 'confirmed', summary: '个别谈话，查阅材料。' }, 'test')).rejects.toThrow(NotAllowedError);
    await expect(service().decide(stage.id, officer, { adjust: true, decidedBy: '党工委会议' }, 'test')).rejects.toThrow('请选择调整方式。');
    // 考察核实 cannot reach the 组织决定's verdicts.
    const early = { kind: 'finding' as const, verdict: 'adjust', opinion: '直接决定调整。', criteria: [], outcomes: [] };
    await expect(zone.services.workflow.decide({ stageId: stage.id, actor: officer, entry: early, channel: 'test' })).rejects.toThrow('“考察核实”环节不能作出这一结论。');
    // Nor can it go back to 韩雪 for 补充材料: she is not told of the case.
    await expect(zone.services.workflow.decide({ stageId: stage.id, actor: officer, entry: { kind: 'return', question: '请本人补充说明。' }, channel: 'test' })).rejects.toThrow('“考察核实”环节不能退回补充。');
    const refusals = await zone.db.query(`SELECT action FROM audit_log WHERE action LIKE '%refused' ORDER BY id`);
    expect(refusals.map((r: { action: string }) => r.action)).toEqual(['adjustment.open.refused', 'decide.refused']);

    await service().inspect(stage.id, officer, { verdict: 'confirmed', summary: '个别谈话，查阅材料。' }, 'test');
    await expect(service().inspect(stage.id, officer, { verdict: 'unfounded', summary: '个别谈话，查阅材料。' }, 'test')).rejects.toThrow(/已处理/);
    expect((await zone.services.cases.stages(record.id)).map((s) => [s.stageKey, s.status])).toEqual([['inspection', 'decided'], ['proposal', 'pending']]);
  });
});
