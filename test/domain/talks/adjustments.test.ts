import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { influenceOf } from '../../../src/domain/adjustment/influence';
import { DEFAULT_TALK_SETTINGS } from '../../../src/domain/talks/settings';
import { statusOf } from '../../../src/domain/talks/slots';
import { databaseBackends } from '../../support/backends';
import { openSampleZone, RecordingNotifier, type SampleZone } from '../../support/sampleZone';

describe.each(databaseBackends)('被调整干部 talks (能上能下办法 第十四条) on $name', (backend) => {
  let zone: SampleZone;
  let notifier: RecordingNotifier;

  const open = async (settings = DEFAULT_TALK_SETTINGS) => {
    notifier = new RecordingNotifier();
    zone = await openSampleZone(backend, { notifier, settings });
  };
  /** As the 组织决定 of case `caseId` records it: the influence period follows from 第十三条. */
  const adjust = async (code: string, way: '免职' | '降职' | '调离岗位', adjustedOn: string, unsuitable = true, caseId = 1) =>
    zone.db.transaction(async (tx) =>
      zone.services.adjustments.record(tx, {
        caseId, caseNumber: `TZ2026-000${caseId}`, personId: zone.id(code), way, adjustedOn, influence: influenceOf(way, unsuitable, adjustedOn),
        recordedBy: await zone.person('P007'), channel: 'test',
      }),
    );
  const adjustedTalks = async (year: number, asOf: string) =>
    (await zone.services.quotas.compute(year, asOf)).obligations.filter((o) => o.reasons.includes('adjusted'));

  afterEach(async () => zone.dispose());

  describe('with the default settings (每季度, for the influence period)', () => {
    beforeEach(() => open());

    it('sets the influence periods of 第十三条 only for adjustments 因不适宜担任现职', () => {
      expect(influenceOf('免职', true, '2026-03-20')).toEqual({ until: '2027-03-19', effect: '一年内不得提拔' });
      expect(influenceOf('降职', true, '2026-03-20')).toEqual({ until: '2028-03-19', effect: '两年内不得提拔或推荐提拔' });
      expect(influenceOf('引咎辞职', true, '2026-03-20')?.effect).toBe('两年内不得担任高于原职务层次的职务');
      expect(influenceOf('调离岗位', false, '2026-03-20')).toBeNull();
      expect(influenceOf('解除聘任职务', true, '2026-03-20')).toBeNull();
    });

    it('when a 科员 is 免职, then the bureau’s party secretary owes a talk each quarter from that date for one year', async () => {
      const { adjustment, secretary } = await adjust('P015', '免职', '2026-03-20');
      expect(adjustment).toMatchObject({ kind: '免职', adjustedOn: '2026-03-20', endsOn: '2027-03-19', talkPeriod: 'quarter' });
      // 综合科 has no party organisation of its own: 经济发展局's secretary 刘洋 talks with 徐敏.
      expect(secretary?.name).toBe('刘洋');

      const [owed] = await adjustedTalks(2026, '2026-05-01');
      expect([zone.code(owed.talkerId), zone.code(owed.talkeeId)]).toEqual(['P012', 'P015']);
      expect(owed.slots.map((s) => `${s.from}..${s.to}`)).toEqual(['2026-03-20..2026-06-19', '2026-06-20..2026-09-19', '2026-09-20..2026-12-19', '2026-12-20..2027-03-19']);
      expect(statusOf(owed.slots, '2026-05-01')).toBe('owed');

      await zone.services.talks.record({
        draftKey: 'talk-1', talkerId: zone.id('P012'), talkeeIds: [zone.id('P015')], talkedOn: '2026-04-15', kind: '被调整干部谈话',
        place: '局长办公室', topics: ['思想'], summary: '谈了调整后的思想状况。', issuesRaised: null, followUps: null, channel: 'test',
      });
      const [after] = await adjustedTalks(2026, '2026-05-01');
      expect(statusOf(after.slots, '2026-05-01')).toBe('done');
      expect(statusOf(after.slots, '2026-07-01')).toBe('owed');
      expect((await adjustedTalks(2027, '2027-01-10')).map((o) => o.slots.length)).toEqual([1]);
      expect(await adjustedTalks(2028, '2028-01-10')).toEqual([]);
    });

    it('when a cadre is 降职, then the quarterly talks last its two years', async () => {
      await adjust('P027', '降职', '2026-03-20');
      const slots = [2026, 2027, 2028].map(async (y) => (await adjustedTalks(y, `${y}-06-01`))[0]?.slots.length ?? 0);
      expect(await Promise.all(slots)).toEqual([4, 5, 1]);
      expect(zone.code((await adjustedTalks(2026, '2026-06-01'))[0].talkerId)).toBe('P021');
    });

    it('when an adjustment has no influence period, then the talks still run, for twelve months', async () => {
      const { adjustment } = await adjust('P015', '调离岗位', '2026-03-20', false);
      expect(adjustment.endsOn).toBe('2027-03-19');
    });

    it('tells the secretary, quoting 第十四条 for 定期 and naming the period as the zone’s setting, once per case', async () => {
      await adjust('P015', '免职', '2026-03-20');
      await adjust('P015', '免职', '2026-03-20');
      // The decision and 第十四条 in full, then the card a phone shows whole.
      expect(notifier.sent.map((s) => [zone.code(s.personId), s.message.kind])).toEqual([['P012', 'text'], ['P012', 'card']]);
      const [told, { message }] = notifier.sent;
      expect(told.message.kind === 'text' && told.message.text).toBe(
        '【被调整干部谈心谈话】徐敏于 2026-03-20 免职（TZ2026-0001），影响期至 2027-03-19（《能上能下办法》第十三条：一年内不得提拔）。' +
          '依据《能上能下办法》第十四条：“被调整干部的所在地区（部门或单位）党组织书记要定期与其谈心谈话”。多久谈一次是本区的设定，不是该条的规定。',
      );
      const card = message.kind === 'card' ? message.card : undefined;
      expect(card).toMatchObject({ title: '被调整干部谈心谈话：徐敏', buttons: [{ key: `talk:${zone.id('P015')}:adjusted`, label: '记录 徐敏' }] });
      expect(card?.description).toBe('按本区设定，请您每季度与其谈心谈话一次，至 2027-03-19，首期 3月20日—6月19日。依据见上一条消息，谈过后点击下方按钮登记。');
      expect(Number((await zone.db.query('SELECT COUNT(*) AS n FROM cadre_adjustments'))[0].n)).toBe(1);
    });
  });

  it('when the zone sets the talks to every half year for 18 months, then that is what is owed', async () => {
    await open({ ...DEFAULT_TALK_SETTINGS, adjustedTalkPeriod: 'half', adjustedTalkSpan: 18 });
    const { adjustment } = await adjust('P015', '免职', '2026-03-20');
    expect(adjustment).toMatchObject({ endsOn: '2027-09-19', talkPeriod: 'half' });
    const [owed] = await adjustedTalks(2026, '2026-05-01');
    expect(owed.slots.map((s) => s.from)).toEqual(['2026-03-20', '2026-09-20']);
  });
});
