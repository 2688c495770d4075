import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QuotaReport } from '../../../src/domain/talks/quotas';
import { statusOf } from '../../../src/domain/talks/slots';
import { DEFAULT_TALK_SETTINGS } from '../../../src/domain/talks/settings';
import { insert, type Executor } from '../../../src/storage/sql';
import { databaseBackends } from '../../support/backends';
import { addPerson, openSampleZone, type SampleZone } from '../../support/sampleZone';

/**
 * The sample roster's quotas, worked out by hand from src/roster/sampleRoster.yaml and
 * 激励办法 第十一条（四）. 主要领导 of a 镇街园 or 机关部门 → its 班子成员 and 内设机构 heads
 * (KFQ is the 开发区 and GZ01 a 国资公司, so their 主要领导 owe nothing under this rule):
 */
const UNIT_LEADERS: Record<string, string[]> = {
  P005: ['P006', 'P007'], // 党群工作部: 孙丽; 组织人事科 钱志刚
  P009: ['P010'], // 纪工委: 冯磊
  P012: ['P013', 'P014', 'P016'], // 经济发展局: 王芳(副局长); 综合科 杨帆, 项目科 马骏
  P018: ['P019'], // 规划建设局: 林娜
  P021: ['P022', 'P023', 'P024', 'P025', 'P026'], // 利港街道: 三名班子成员; 党政办 宋佳, 城建科 唐伟
  P030: ['P031', 'P032', 'P033', 'P034'], // 申港街道
};
/** 分管领导 → everyone in the units they supervise and those units' 内设机构 (not 村/社区 below a 街道). */
const SUPERVISORS: Record<string, string[]> = {
  P002: ['P012', 'P013', 'P014', 'P015', 'P016', 'P017', 'P018', 'P019', 'P020'], // 经济发展局 (吕强 left in 2024), 规划建设局
  P003: ['P005', 'P006', 'P007', 'P008', 'P021', 'P022', 'P023', 'P024', 'P025', 'P026', 'P027', 'P030', 'P031', 'P032', 'P033', 'P034'],
  P004: ['P037', 'P038', 'P039'], // 临港城投集团
  P022: ['P026', 'P027'], // 利港街道城建科
  P023: ['P025', 'P028', 'P029'], // 党政办; 西城村
  P031: ['P033', 'P034', 'P035', 'P036'], // 党政办, 城建科, 新港社区
};

const pairs = (table: Record<string, string[]>) => Object.entries(table).flatMap(([talker, talkees]) => talkees.map((t) => `${talker}→${t}`));

describe.each(databaseBackends)('谈心谈话 quotas on $name', (backend) => {
  let zone: SampleZone;
  const owedPairs = (report: QuotaReport) => report.obligations.map((o) => `${zone.code(o.talkerId)}→${zone.code(o.talkeeId)}`).sort();
  const talk = (talker: string, talkees: string[], talkedOn: string, kind: '年度谈心谈话' | '约谈提醒' | '被调整干部谈话' = '年度谈心谈话') =>
    zone.services.talks.record({
      draftKey: `t-${talker}-${talkees.join('-')}-${talkedOn}`, talkerId: zone.id(talker), talkeeIds: talkees.map(zone.id), talkedOn, kind,
      place: '办公室', topics: ['工作'], summary: '谈了工作安排和思想状况。', issuesRaised: null, followUps: null, channel: 'test',
    });

  beforeEach(async () => {
    zone = await openSampleZone(backend);
  });
  afterEach(async () => zone.dispose());

  it('when computed for the sample roster, then every leader owes exactly the talks worked out by hand, once each this year', async () => {
    const report = await zone.services.quotas.compute(2026, '2026-11-27');
    expect(owedPairs(report)).toEqual([...pairs(UNIT_LEADERS), ...pairs(SUPERVISORS)].sort());
    expect(report.obligations).toHaveLength(53);
    for (const o of report.obligations) {
      expect(o.slots).toEqual([{ from: '2026-01-01', to: '2026-12-31', required: 1, held: 0 }]);
      expect(o.reasons).toEqual([UNIT_LEADERS[zone.code(o.talkerId)] ? 'unitLeader' : 'supervisor']);
    }
  });

  it('when talks are logged, including a 约谈提醒 and one with two people, then they count and last year’s do not', async () => {
    await talk('P012', ['P013', 'P014'], '2026-03-02');
    await talk('P012', ['P016'], '2026-06-10', '约谈提醒');
    await talk('P021', ['P022'], '2025-12-30');
    const report = await zone.services.quotas.compute(2026, '2026-11-27');
    const status = (talker: string, talkee: string) => {
      const o = report.obligations.find((x) => x.talkerId === zone.id(talker) && x.talkeeId === zone.id(talkee))!;
      return statusOf(o.slots, report.asOf);
    };
    expect([status('P012', 'P013'), status('P012', 'P014'), status('P012', 'P016')]).toEqual(['done', 'done', 'done']);
    expect(status('P021', 'P022')).toBe('owed');
    // The same two people under another rule are a separate quota: 分管领导 李明华 still owes 杨帆.
    expect(status('P002', 'P014')).toBe('owed');
  });

  it('when a unit requires a talk each quarter, then its leaders and the supervisors of its 内设机构 owe one per quarter', async () => {
    await insert(zone.db, 'talk_quota_rules', { unit_id: (await zone.roster.personByCode('P021'))!.unitId, period: 'quarter', times: 1, created_at: '2026-01-01T00:00:00.000Z' });
    await talk('P021', ['P022'], '2026-10-12');
    const report = await zone.services.quotas.compute(2026, '2026-11-27');
    const of = (talker: string, talkee: string) => report.obligations.find((o) => o.talkerId === zone.id(talker) && o.talkeeId === zone.id(talkee))!;
    expect(of('P021', 'P022').slots.map((s) => [s.from, s.to, s.held])).toEqual([
      ['2026-01-01', '2026-03-31', 0],
      ['2026-04-01', '2026-06-30', 0],
      ['2026-07-01', '2026-09-30', 0],
      ['2026-10-01', '2026-12-31', 1],
    ]);
    expect(statusOf(of('P021', 'P022').slots, '2026-11-27')).toBe('done');
    expect(of('P022', 'P027').period).toBe('quarter');
    expect(of('P012', 'P013').period).toBe('year');
  });

  it('counts the database queries: a fixed handful, whatever the roster holds', async () => {
    let queries = 0;
    const counting = { query: (sql: string, params?: unknown[]) => ((queries += 1), zone.db.query(sql, params)) } as unknown as Executor;
    await zone.services.quotas.compute(2026, '2026-11-27', counting);
    expect(queries).toBe(6);
  });
});

describe.each(databaseBackends)('mid-year joiners and leavers on $name', (backend) => {
  const joiners = async (zone: SampleZone) => {
    // Into 综合科, supervised by 李明华 (P002) through 经济发展局.
    const march = await addPerson(zone.db, { code: 'P041', name: '春来', unitCode: 'JG03-01', joinedOn: '2026-03-01' });
    const september = await addPerson(zone.db, { code: 'P042', name: '秋至', unitCode: 'JG03-01', joinedOn: '2026-09-01' });
    const april = await addPerson(zone.db, { code: 'P043', name: '早离', unitCode: 'JG03-01', joinedOn: '2020-01-01', leftOn: '2026-04-30' });
    const report = await zone.services.quotas.compute(2026, '2026-12-31');
    const owed = (personId: number) => report.obligations.filter((o) => o.talkeeId === personId && o.talkerId === zone.id('P002')).length;
    return { march: owed(march), september: owed(september), leftInApril: owed(april) };
  };

  it.each([
    // prorate: owed for at least half the year: March joiner 306 of 365 days; September 122, April leaver 120.
    ['prorate', { march: 1, september: 0, leftInApril: 0 }],
    ['full', { march: 1, september: 1, leftInApril: 1 }],
    ['exclude', { march: 0, september: 0, leftInApril: 0 }],
  ] as const)('when TALK_PARTIAL_YEAR=%s, then the part of the year decides who is owed', async (mode, expected) => {
    const zone = await openSampleZone(backend, { settings: { ...DEFAULT_TALK_SETTINGS, partialYear: mode } });
    try {
      expect(await joiners(zone)).toEqual(expected);
    } finally {
      await zone.dispose();
    }
  });
});
