import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../../src/scheduling/workdays';
import type { Scheduler } from '../../../src/scheduling/scheduler';
import { select } from '../../../src/storage/sql';
import { SIX_LOOKS } from '../../../src/domain/tolerance/policy';
import type { StageEntry } from '../../../src/domain/workflow/record';
import { databaseBackends } from '../../support/backends';
import { openSampleZone, RecordingNotifier, type SampleZone } from '../../support/sampleZone';

describe.each(databaseBackends)('催办 of slow approvers on $name', (backend) => {
  let zone: SampleZone;
  let notifier: RecordingNotifier;
  let jobs: Scheduler;

  const texts = (code: string, marker: string) =>
    notifier.sent.filter((s) => s.personId === zone.id(code) && s.message.kind === 'text' && s.message.text.includes(marker)).map((s) => (s.message.kind === 'text' ? s.message.text : ''));
  const morning = async (date: string) => {
    zone.clock.set(new Date(`${date}T01:30:00Z`));
    while ((await jobs.runDue()) > 0);
  };

  beforeEach(async () => {
    notifier = new RecordingNotifier();
    // Friday 25 September 2026, the working day before the Mid-Autumn and National Day holidays.
    zone = await openSampleZone(backend, { notifier, now: '2026-09-25T03:00:00.000Z' });
    jobs = zone.scheduler();
    await jobs.runDue();
    // 徐敏 of 综合科 applies; the first stage waits on 经济发展局's party secretary, 刘洋.
    await zone.services.workflow.submit('tolerance', {
      applicant: await zone.person('P015'), draftKey: 'case-1', unitId: (await zone.person('P015')).unitId, matterId: null, integrated: false, path: 'ordinary',
      form: { reason: '项目推进中的程序瑕疵。' }, channel: 'test',
    });
  });
  afterEach(async () => zone.dispose());

  it('when a stage has waited 3 working days, then its approver is reminded once that day, and 党群工作部 gets the overdue list', async () => {
    await morning('2026-09-28');
    await morning('2026-09-29');
    expect(texts('P012', '【催办】')).toEqual([]);

    await morning('2026-09-30');
    expect(texts('P012', '【催办】')).toEqual([
      expect.stringMatching(/^【催办】RC2026-\d{4}（容错免责申请）在“所在单位党组织意见”环节等待您的意见，已等待 3 个工作日，超过建议办理期限 3 个工作日（本区设置）/),
    ]);
    expect(texts('P005', '【审批超期清单】')).toEqual([
      expect.stringContaining('以下审批已超过建议办理期限 3 个工作日（本区设置）未处理，已提醒审批人：\n· RC2026-'),
    ]);
    expect(texts('P006', '【审批超期清单】')).toHaveLength(1);

    // The same day's run again (re-queued by hand): the approver is not reminded twice.
    await zone.db.query(`UPDATE scheduled_jobs SET status = 'pending' WHERE unique_key = 'approval-reminders:2026-09-30'`);
    await morning('2026-09-30');
    expect(texts('P012', '【催办】')).toHaveLength(1);
  });

  it('runs on working days only: not over the National Day holiday, and on the 调休 Saturday after it', async () => {
    const remindedOn: string[] = [];
    for (let date = '2026-09-28'; date <= '2026-10-12'; date = addDays(date, 1)) {
      const before = texts('P012', '【催办】').length;
      await morning(date);
      if (texts('P012', '【催办】').length > before) remindedOn.push(date);
    }
    expect(remindedOn).toEqual(['2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12']);
    expect(texts('P012', '已等待 6 个工作日')).toHaveLength(1);
    const days = await select<{ unique_key: string }>(zone.db, `SELECT unique_key FROM scheduled_jobs WHERE kind = 'approval-reminders' ORDER BY run_at`);
    expect(days.map((d) => d.unique_key.slice(-10))).not.toContain('2026-10-01');
  });

  it('does not chase the 纪工委 while a 呈报 waits on the 市纪委监委’s answer', async () => {
    const applicant = await zone.person('P014');
    const c = await zone.services.workflow.submit('tolerance', {
      applicant, draftKey: 'case-city', unitId: applicant.unitId, matterId: null, integrated: false, path: 'city', form: { reason: '上级交办的信访件。' }, channel: 'test',
    });
    const decideNext = async (code: string, entry: StageEntry) => {
      const [stage] = await select<{ id: number }>(zone.db, `SELECT id FROM case_stages WHERE case_id = ? AND status = 'pending'`, [c.id]);
      await zone.services.workflow.decide({ stageId: Number(stage.id), actor: await zone.person(code), entry, channel: 'test' });
    };
    await decideNext('P012', { kind: 'opinion', stance: 'agree', opinion: '同意。' });
    await decideNext('P009', { kind: 'finding', verdict: 'grant', opinion: '予以。', outcomes: [0], criteria: SIX_LOOKS.map((l) => ({ key: l.key, title: l.title, finding: '无问题。' })) });
    const minutes = [{ channel: 'test', mediaKind: 'file' as const, mediaId: 'm1', receivedAt: '2026-09-25T03:00:00.000Z' }];
    await decideNext('P001', { kind: 'meeting', heldOn: '2026-09-25', attendees: ['陈建国'], verdict: 'grant', outcomes: [0], opinion: '同意呈报。', minutes });
    await decideNext('P001', { kind: 'signature', opinion: '同意呈报。' });
    await decideNext('P009', { kind: 'submission', submittedOn: '2026-09-25', documentNumber: '临港纪〔2026〕1号', opinion: '', attachments: [] });
    for (const date of ['2026-09-28', '2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09']) await morning(date);
    expect(texts('P009', '【催办】').filter((t) => t.includes(c.number))).toEqual([]);
    expect(texts('P005', '【审批超期清单】').some((t) => t.includes(`${c.number}（容错免责申请）“市纪委监委答复”`))).toBe(false);
  });

  it('stops once the approver has decided', async () => {
    await morning('2026-09-29');
    const [stage] = await select<{ id: number }>(zone.db, `SELECT id FROM case_stages WHERE status = 'pending'`);
    await zone.services.workflow.decide({ stageId: Number(stage.id), actor: await zone.person('P012'), entry: { kind: 'opinion', stance: 'agree', opinion: '同意。' }, channel: 'test' });
    await morning('2026-09-30');
    // The next stage (纪工委) opened on the 29th and has waited one working day.
    expect(notifier.sent.filter((s) => s.message.kind === 'text' && s.message.text.startsWith('【催办】'))).toEqual([]);
  });
});
