import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/domain/audit';
import { importLedger, importLedgerFile } from '../../../src/domain/assessment/importLedger';
import { monthsText, promotionYears } from '../../../src/domain/assessment/incentives';
import { loadLedger } from '../../../src/domain/assessment/ledger';
import { SAMPLE_LEDGER } from '../../../src/domain/assessment/sampleLedger';
import { NotAllowedError, UserFacingError } from '../../../src/errors';
import { databaseBackends } from '../../support/backends';
import { ledgerOf } from '../../support/ledgerFiles';
import { addPerson, openSampleZone, type SampleZone } from '../../support/sampleZone';

describe.each(databaseBackends)('激励办法 eligibility from the ledger on $name', (backend) => {
  let zone: SampleZone;
  const deps = () => ({ clock: zone.clock, audit: new AuditLog(zone.clock) });
  /** The shipped 2024–2026 sample, imported as the years ending `last`. */
  const importSample = async (last = 2026) => {
    for (const [i, { path }] of SAMPLE_LEDGER.entries()) await importLedgerFile(zone.db, last - 2 + i, path, deps());
  };
  const admin = () => zone.person('P005');

  beforeEach(async () => {
    zone = await openSampleZone(backend);
  });
  afterEach(async () => zone.dispose());

  it('when 徐敏 is 优秀 three years running, then she is on the 2026 优先推荐 list and the 2027 健康休养 list, each saying why', async () => {
    await importSample();
    const priority = await zone.services.incentives.compute('priority', 2026);
    expect(priority.entries.map((e) => [e.name, e.reason, e.measure])).toEqual([
      ['徐敏', '2024、2025、2026 年度考核均为优秀（《激励办法》第九条（三））', '优先推荐或考虑提拔使用'],
      // 西城村 is 优秀 three years running: its 书记 曹国庆.
      ['曹国庆', '所在利港街道西城村2024、2025、2026 年度考核均为优秀（《激励办法》第九条（五））', '符合相关任职条件的，优先推荐选任到事业岗位'],
    ]);
    const retreat = await zone.services.incentives.compute('health-retreat', 2027);
    expect(retreat.entries.map((e) => [e.name, e.unit, e.reason, e.remainingDays])).toEqual([
      ['徐敏', '经济发展局综合科', '2024、2025、2026 年度考核均为优秀（《激励办法》第十一条（五））', 7],
    ]);
    expect(retreat.confirmed).toBeUndefined();
    // Two 优秀 years are not three.
    expect(priority.entries.some((e) => e.name === '王芳')).toBe(false);
  });

  it('proposes the 优胜单位 by the share of each category, with 第十条（三） and 第九条（二） beside them', async () => {
    await importSample();
    const list = await zone.services.incentives.compute('winning-units', 2026);
    expect(list.entries.map((e) => [e.name, e.reason])).toEqual([
      ['利港街道', '2026 年度一体化绩效考核镇街园第 1 名（共 2 个，按 50% 确定 1 个，《激励办法》第八条（一））'],
      ['党群工作部', '2026 年度一体化绩效考核综合保障部门第 1 名（共 2 个，按 20% 确定 1 个，《激励办法》第八条（一））'],
      ['经济发展局', '2026 年度一体化绩效考核经济服务部门第 1 名（共 2 个，按 20% 确定 1 个，《激励办法》第八条（一））'],
    ]);
    expect(list.notes).toEqual([
      '各类别比例为本区设定（WINNING_UNIT_SHARES）：镇街园 50%、特色园区 30%、综合保障部门 20%、经济服务部门 20%；条文为“分别按照 50%、30%、20%、20%左右的比例”。',
      '党群工作部 2026 年度考核优胜单位：适当提高工作人员年度考核优秀等次比例（《激励办法》第十条（三））：提高 5 个百分点（幅度为本区设定）。',
      '纪工委 2026 年度综合保障部门排名最后：适当降低工作人员年度考核优秀等次比例（《激励办法》第十条（三））：降低 5 个百分点（幅度为本区设定）。',
      '经济发展局 2026 年度考核优胜单位：适当提高工作人员年度考核优秀等次比例（《激励办法》第十条（三））：提高 5 个百分点（幅度为本区设定）。',
      '规划建设局 2026 年度经济服务部门排名最后：适当降低工作人员年度考核优秀等次比例（《激励办法》第十条（三））：降低 5 个百分点（幅度为本区设定）。',
      '经济发展局2024、2025、2026 年度均为考核优胜单位（《激励办法》第九条（二））：在干部选拔使用上优先考虑。',
    ]);
  });

  it('is confirmed by 党群工作部 only, as shown, once; a list changed since it was shown is not confirmed', async () => {
    await importSample();
    const list = await zone.services.incentives.compute('priority', 2026);
    const personnel = await zone.person('P007');
    await expect(zone.services.incentives.confirm('priority', 2026, list.digest, personnel, 'test', false)).rejects.toThrow(NotAllowedError);
    await expect(zone.services.incentives.confirm('priority', 2026, 'stale0000000', await admin(), 'test', true)).rejects.toThrow(/已因考核数据变化而不同/);
    expect(await zone.services.incentives.confirm('priority', 2026, list.digest, await admin(), 'test', true)).toBe('已确认2026 年优先推荐名单（共 2 人）。');
    expect(await zone.services.incentives.confirm('priority', 2026, list.digest, await admin(), 'test', true)).toMatch(/已由王芳于 2026-11-27 确认，无需重复确认/);
    const actions = await zone.db.query(`SELECT action FROM audit_log WHERE action LIKE 'incentive.%' ORDER BY id`);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['incentive.confirm.refused', 'incentive.confirmed']);
    expect((await zone.services.incentives.compute('priority', 2026)).confirmed?.by).toBe('王芳');
  });

  it('counts 健康休养 in working days of the zone’s calendar, at most seven, for people on the confirmed list', async () => {
    await importSample(2025);
    const list = await zone.services.incentives.compute('health-retreat', 2026);
    const xuMin = await zone.person('P015');
    const record = (draftKey: string, from: string, to: string, kind: 'zone' | 'higher' = 'zone', person = xuMin) =>
      admin().then((actor) => zone.services.incentives.recordRetreat({ draftKey, person, kind, from, to, actor, channel: 'test', isAdmin: true }));

    await expect(record('r0', '2026-09-28', '2026-10-09')).rejects.toThrow(/不在已确认的 2026 年健康休养名单中/);
    await zone.services.incentives.confirm('health-retreat', 2026, list.digest, await admin(), 'test', true);
    // 9月28日—10月9日: the 国庆 holiday (10月1日—7日) and a weekend fall inside; five working days.
    expect(await record('r1', '2026-09-28', '2026-10-09')).toBe(
      '已登记：徐敏 2026-09-28 至 2026-10-09 健康休养 5 个工作日，不计入年休假假期；2026 年还可休 2 个工作日（《激励办法》第十一条（五））。',
    );
    await expect(record('r2', '2026-11-02', '2026-11-04')).rejects.toThrow(/已休 5 个工作日，再休 3 个工作日将超过 7 天/);
    await expect(record('r3', '2026-10-03', '2026-10-04')).rejects.toThrow(/没有工作日/);
    await expect(record('r4', '2026-11-04', '2026-11-02')).rejects.toThrow(UserFacingError);
    expect(await record('r5', '2026-11-02', '2026-11-03')).toContain('还可休 0 个工作日');
    expect(await record('r5', '2026-11-02', '2026-11-03')).toBe('这次健康休养已经登记过了。');
    expect((await zone.services.incentives.compute('health-retreat', 2026)).entries[0].remainingDays).toBe(0);

    // Someone who joins a higher level's 健康休养 that year leaves the zone's list.
    await record('r6', '2026-06-01', '2026-06-05', 'higher');
    const after = await zone.services.incentives.compute('health-retreat', 2026);
    expect(after.entries).toEqual([]);
    expect(after.notes).toEqual(['当年参加上级健康休养的 1 人不列入（《激励办法》第十一条（五）“当年参加上级健康休养人员除外”）。']);
  });

  it('adds up the 晋级年限 of a 机关企业性质人员 over several years, from their last 晋级, and finds 解聘 after two 不合格', async () => {
    const jinId = await addPerson(zone.db, { code: 'P041', name: '金晨', unitCode: 'JG03-01', joinedOn: '2019-01-01', nature: '企业性质' });
    await addPerson(zone.db, { code: 'P042', name: '陆远', unitCode: 'JG04', joinedOn: '2019-01-01', nature: '企业性质' });
    const years: [number, string, string, string?][] = [
      [2020, '优秀', '合格'],
      [2021, '合格', '合格', '是'],
      [2022, '优秀', '合格'],
      [2023, '优秀', '合格'],
      [2024, '基本合格', '合格'],
      [2025, '不合格', '不合格'],
      [2026, '优秀', '不合格'],
    ];
    let report;
    for (const [year, jin, lu, promoted] of years) {
      report = await importLedger(zone.db, year, ledgerOf({ people: [{ code: 'P041', name: '金晨', grade: jin, promoted: promoted ?? '' }, { code: 'P042', name: '陆远', grade: lu }] }), deps());
    }
    const rows = (await loadLedger(zone.db, 2020, 2026, jinId)).people;
    const jin = promotionYears(rows);
    expect(jin).toEqual({
      since: 2021,
      months: 6,
      lines: [
        '2022 年度优秀：晋级年限条件缩短半年（《激励办法》第九条（六））',
        '2023 年度优秀：晋级年限条件缩短半年（《激励办法》第九条（六））',
        '2024 年度基本合格：晋升年限条件延长1年（《能上能下办法》第八条（八））',
        '2025 年度不合格：晋升年限条件延长1年（《能上能下办法》第八条（八））',
        '2026 年度优秀：晋级年限条件缩短半年（《激励办法》第九条（六））',
      ],
    });
    expect(monthsText(jin.months)).toBe('延长 6 个月');
    expect(monthsText(-18)).toBe('缩短 1 年 6 个月');
    expect(monthsText(-12)).toBe('缩短 1 年');
    // 陆远: 不合格 in 2026 is （四）'s lowest grade, and after 2025's 第八条（八）'s 予以解聘; 金晨 is 优秀 in 2026, so neither.
    expect(report!.triggers.found).toEqual(['第八条（四） 陆远：2026 年度考核为不合格等次', '第八条（八） 陆远：机关企业性质人员，2025、2026 年度考核均为不合格']);
  });
});
