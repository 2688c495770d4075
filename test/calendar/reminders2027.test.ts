import { afterEach, describe, expect, it } from 'vitest';
import type { Scheduler } from '../../src/scheduling/scheduler';
import { addDays } from '../../src/scheduling/workdays';
import { select } from '../../src/storage/sql';
import { databaseBackends } from '../support/backends';
import { loadSampleCalendar } from '../support/calendar';
import { openSampleZone, RecordingNotifier, type SampleZone } from '../support/sampleZone';

/**
 * The sample 2027 (src/calendar/sampleCalendar.yaml): 元旦 1–3 January; 春节 5–13 February, with
 * Sunday 31 January and Saturday 20 February worked; 国庆 1–7 October, with Sunday 26 September
 * and Saturday 9 October worked. chinese-days has no 2027, so without it every weekday counts.
 */
describe.each(databaseBackends)('reminders under a loaded 2027 calendar on $name', (backend) => {
  let zone: SampleZone;
  let notifier: RecordingNotifier;
  let jobs: Scheduler;
  afterEach(async () => zone?.dispose());

  const open = async (now: string) => {
    notifier = new RecordingNotifier();
    zone = await openSampleZone(backend, { notifier, now });
    jobs = zone.scheduler();
  };
  const loadSample = () => loadSampleCalendar(zone.services.calendar);
  const runAll = async () => {
    while ((await jobs.runDue()) > 0);
  };
  const talkCards = () => notifier.sent.filter((s) => s.message.kind === 'card' && s.message.card.title.includes('谈心谈话')).length;
  const reminders = () => notifier.sent.filter((s) => s.message.kind === 'text' && s.message.text.startsWith('【催办】'));
  /** Each morning from `from` to `to`: on which the leaders got talk reminders, and on which the approver a 催办. */
  const mornings = async (from: string, to: string) => {
    const talks: string[] = [];
    const urged: string[] = [];
    for (let date = from; date <= to; date = addDays(date, 1)) {
      const [t, u] = [talkCards(), reminders().length];
      zone.clock.set(new Date(`${date}T01:30:00Z`));
      await runAll();
      if (talkCards() > t) talks.push(date);
      if (reminders().length > u) urged.push(date);
    }
    return { talks, urged };
  };
  /** 徐敏 of 综合科 applies for 容错 today; the first stage waits on 经济发展局's party secretary, 刘洋. */
  const apply = async () => {
    const applicant = await zone.person('P015');
    await zone.services.workflow.submit('tolerance', {
      applicant, draftKey: `case-${zone.clock.now().toISOString()}`, unitId: applicant.unitId, matterId: null, integrated: false, path: 'ordinary',
      form: { reason: '项目推进中的程序瑕疵。' }, channel: 'test',
    });
  };
  const pending = async (kind: string) =>
    (await select<{ unique_key: string }>(zone.db, `SELECT unique_key FROM scheduled_jobs WHERE kind = ? AND status = 'pending' ORDER BY run_at`, [kind])).map((r) => r.unique_key);

  it('when 2027 is loaded in December, then January’s talk reminder moves from the 元旦 holiday to Monday the 4th', async () => {
    await open('2026-12-17T03:00:00.000Z');
    await runAll();
    // Without 2027's arrangement, Friday 1 January looks like the month's first working day.
    expect(await pending('talk-reminders')).toEqual(['talk-reminders:2027-01-01']);

    await loadSample();
    await runAll();

    // The occurrence placed under the old calendar gives way to the one the loaded year puts first.
    expect(await pending('talk-reminders')).toEqual(['talk-reminders:2027-01-04']);
    expect((await mornings('2026-12-31', '2027-01-08')).talks).toEqual(['2027-01-04']);
    expect(notifier.sent.find((s) => s.message.kind === 'card')?.message).toMatchObject({ card: { title: expect.stringMatching(/^1月谈心谈话提醒/) } });
  });

  it('over Spring Festival the 催办 waits out the holiday, counts its working days, and runs on the 调休 Saturday', async () => {
    await open('2027-02-03T03:00:00.000Z');
    await loadSample();
    await runAll();
    // 徐敏 applies on Wednesday 3 February.
    await apply();

    const { urged } = await mornings('2027-02-04', '2027-02-22');

    // 4 Feb is one working day, then nine days off; the 15th and 16th make three.
    expect(urged).toEqual(['2027-02-16', '2027-02-17', '2027-02-18', '2027-02-19', '2027-02-20', '2027-02-22']);
    const texts = reminders().map((s) => (s.message.kind === 'text' ? s.message.text : ''));
    expect(texts[0]).toContain('已等待 3 个工作日');
    expect(texts[4]).toContain('已等待 7 个工作日');
  });

  it('around National Day: no reminders in the holiday, the week’s first working day after it, and 催办 on both 调休 weekend days', async () => {
    await open('2027-09-22T03:00:00.000Z');
    await loadSample();
    await runAll();
    await apply();

    const { talks, urged } = await mornings('2027-09-23', '2027-10-12');

    // Weekly in the last quarter: Friday 8 October is the first working day of its week; then Monday the 11th.
    expect(talks).toEqual(['2027-10-08', '2027-10-11']);
    // 23rd and 24th, then Sunday the 26th (worked) makes three working days.
    expect(urged).toEqual(['2027-09-26', '2027-09-27', '2027-09-28', '2027-09-29', '2027-09-30', '2027-10-08', '2027-10-09', '2027-10-11', '2027-10-12']);
  });

  it('without the loaded year the same weeks fall on plain weekdays: a reminder on the 4 October holiday, none on the 调休 Sunday', async () => {
    await open('2027-09-22T03:00:00.000Z');
    await runAll();
    await apply();

    const { talks, urged } = await mornings('2027-09-23', '2027-10-12');

    expect(talks).toEqual(['2027-10-04', '2027-10-11']);
    expect(urged).not.toContain('2027-09-26');
    expect(urged).toContain('2027-10-01');
  });
});
