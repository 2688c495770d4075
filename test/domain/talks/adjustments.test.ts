import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { influenceEnds } from '../../../src/domain/talks/adjustments';
import { statusOf } from '../../../src/domain/talks/slots';
import { databaseBackends } from '../../support/backends';
import { openSampleZone, RecordingNotifier, type SampleZone } from '../../support/sampleZone';

describe.each(databaseBackends)('被调整干部 on $name', (backend) => {
  let zone: SampleZone;
  let notifier: RecordingNotifier;

  const adjust = async (code: string, kind: '免职' | '降职', adjustedOn: string) =>
    zone.services.adjustments.record({
      draftKey: `adj-${code}-${kind}`, personId: zone.id(code), kind, adjustedOn, note: null, recordedBy: await zone.person('P007'), channel: 'test',
    });
  const adjustedTalks = async (year: number, asOf: string) =>
    (await zone.services.quotas.compute(year, asOf)).obligations.filter((o) => o.reasons.includes('adjusted'));

  beforeEach(async () => {
    notifier = new RecordingNotifier();
    zone = await openSampleZone(backend, { notifier });
  });
  afterEach(async () => zone.dispose());

  it('sets the influence periods of 能上能下办法 第十三条', () => {
    expect(influenceEnds('免职', '2026-03-20')).toBe('2027-03-19');
    expect(influenceEnds('降职', '2026-03-20')).toBe('2028-03-19');
  });

  it('when a 科员 is 免职, then the bureau’s party secretary owes a talk each quarter from that date for one year', async () => {
    const { adjustment, secretary } = await adjust('P015', '免职', '2026-03-20');
    expect(adjustment).toMatchObject({ kind: '免职', adjustedOn: '2026-03-20', endsOn: '2027-03-19', talkPeriod: 'quarter' });
    // 综合科 has no party organisation of its own: 经济发展局's secretary 刘洋 talks with 徐敏.
    expect(secretary?.name).toBe('刘洋');

    const [owed] = await adjustedTalks(2026, '2026-05-01');
    expect([zone.code(owed.talkerId), zone.code(owed.talkeeId)]).toEqual(['P012', 'P015']);
    expect(owed.slots.map((s) => `${s.from}..${s.to}`)).toEqual([
      '2026-03-20..2026-06-19',
      '2026-06-20..2026-09-19',
      '2026-09-20..2026-12-19',
      '2026-12-20..2027-03-19',
    ]);
    expect(statusOf(owed.slots, '2026-05-01')).toBe('owed');

    await zone.services.talks.record({
      draftKey: 'talk-1', talkerId: zone.id('P012'), talkeeIds: [zone.id('P015')], talkedOn: '2026-04-15', kind: '被调整干部谈话',
      place: '局长办公室', topics: ['思想'], summary: '谈了调整后的思想状况。', issuesRaised: null, followUps: null, channel: 'test',
    });
    const [after] = await adjustedTalks(2026, '2026-05-01');
    expect(statusOf(after.slots, '2026-05-01')).toBe('done');
    expect(statusOf(after.slots, '2026-07-01')).toBe('owed');
    // The last quarter runs into 2027 and is owed there too; by 2027-03-20 the period is over.
    expect((await adjustedTalks(2027, '2027-01-10')).map((o) => o.slots.length)).toEqual([1]);
    expect(await adjustedTalks(2028, '2028-01-10')).toEqual([]);
  });

  it('when a cadre is 降职, then the quarterly talks last two years', async () => {
    await adjust('P027', '降职', '2026-03-20');
    const slots = [2026, 2027, 2028].map(async (y) => (await adjustedTalks(y, `${y}-06-01`))[0]?.slots.length ?? 0);
    expect(await Promise.all(slots)).toEqual([4, 5, 1]);
    const [owed] = await adjustedTalks(2026, '2026-06-01');
    expect(zone.code(owed.talkerId)).toBe('P021');
  });

  it('tells the secretary, with a button that starts logging the talk, and records the adjustment once per draft', async () => {
    await adjust('P015', '免职', '2026-03-20');
    await adjust('P015', '免职', '2026-03-20');
    expect(notifier.sent).toHaveLength(1);
    const [{ personId, message }] = notifier.sent;
    expect(zone.code(personId)).toBe('P012');
    expect(message.kind === 'card' && message.card).toMatchObject({
      title: '被调整干部谈心谈话：徐敏',
      buttons: [{ key: `talk:${zone.id('P015')}:adjusted`, label: '记录 徐敏' }],
    });
    expect(message.kind === 'card' && message.card.description).toContain('依据《能上能下办法》第十四条，请您在影响期内每季度与其谈心谈话一次，首期 3月20日—6月19日');
    expect(Number((await zone.db.query('SELECT COUNT(*) AS n FROM cadre_adjustments'))[0].n)).toBe(1);
  });
});
