import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../../src/channels/port';
import { AuditLog } from '../../../src/domain/audit';
import { overOneThird, parseShare, reachesOneThird, type Share } from '../../../src/domain/assessment/grades';
import { importLedger, importLedgerFile } from '../../../src/domain/assessment/importLedger';
import { readLedgerFile } from '../../../src/domain/assessment/ledgerFile';
import { SAMPLE_LEDGER } from '../../../src/domain/assessment/sampleLedger';
import { databaseBackends } from '../../support/backends';
import { ledgerOf } from '../../support/ledgerFiles';
import { openSampleZone, RecordingNotifier, type SampleZone } from '../../support/sampleZone';

const share = (text: string) => parseShare(text) as Share;

describe('vote shares are compared as exact fractions', () => {
  it('takes 34% over one third and 33.3% not, and one third itself as reaching but not over', () => {
    expect(overOneThird(share('34%'))).toBe(true);
    expect(overOneThird(share('33.3%'))).toBe(false);
    expect(overOneThird(share('33.3333%'))).toBe(false);
    expect(overOneThird(share('10/30'))).toBe(false);
    expect(overOneThird(share('11/30'))).toBe(true);
    expect(reachesOneThird(share('10/30'))).toBe(true);
    expect(reachesOneThird(share('5/15'))).toBe(true);
    expect(reachesOneThird(share('4/15'))).toBe(false);
    expect(reachesOneThird(share('33.3%'))).toBe(false);
    // What Excel keeps for a cell formatted as a percentage.
    expect(share('0.34')).toEqual({ num: 34, den: 100, text: '34%' });
    expect(share('0.333')).toEqual({ num: 333, den: 1000, text: '33.3%' });
    expect(parseShare('')).toBeNull();
    expect(parseShare('1/0')).toBe('总票数不能为 0');
    expect(parseShare('101%')).toBe('得票率不能超过 100%');
  });
});

describe.each(databaseBackends)('能上能下办法 第八条 triggers from the ledger on $name', (backend) => {
  let zone: SampleZone;
  let notifier: RecordingNotifier;
  const deps = () => ({ clock: zone.clock, audit: new AuditLog(zone.clock) });
  /** Runs the card job the import scheduled and returns the cards, by who got them, each with the message sent just before it (the rule and the data in full). */
  const cards = async (): Promise<{ to: string; card: Card; before: string }[]> => {
    await zone.scheduler().runDue();
    return notifier.sent.flatMap(({ personId, message }, i) => {
      const before = notifier.sent[i - 1]?.message;
      return message.kind === 'card' ? [{ to: zone.code(personId), card: message.card, before: before?.kind === 'text' ? before.text : '' }] : [];
    });
  };

  beforeEach(async () => {
    notifier = new RecordingNotifier();
    zone = await openSampleZone(backend, { notifier });
    await importLedgerFile(zone.db, 2025, SAMPLE_LEDGER[1].path, deps());
    await zone.scheduler().runDue();
    notifier.sent.length = 0;
  });
  afterEach(async () => zone.dispose());

  it('when 韩雪’s 不称职 share is 34%, then 组织人事部门 gets a 第八条（三） card, and 朱婷’s 33.3% gives none', async () => {
    const report = await importLedgerFile(zone.db, 2026, SAMPLE_LEDGER[2].path, deps());
    expect(report.triggers.found).toContain('第八条（三） 韩雪：2026 年度民主测评不称职得票 34%，超过三分之一');
    const sent = await cards();
    const third = sent.filter((s) => s.card.title.startsWith('能上能下预警：第八条（三）'));
    expect(third.map((s) => [s.to, s.card.title])).toEqual([
      ['P007', '能上能下预警：第八条（三） 韩雪'],
      ['P008', '能上能下预警：第八条（三） 韩雪'],
    ]);
    expect(third[0].before).toContain('依据：《能上能下办法》第八条（三）：在干部年度考核中，民主测评的不称职得票率超过三分之一的，建议上级调整或予以调整。');
    expect(third[0].before).toContain('数据：2026 年度民主测评不称职得票 34%，超过三分之一。');
    expect(third[0].before).toContain('处理：建议上级调整或予以调整（按干部管理权限）。');
    expect(third[0].card.description).toBe('经组织认定不适宜担任现职的，方予调整。依据和数据见上一条消息，请核实后决定是否立案。');
    expect(third[0].card.buttons.map((b) => b.label)).toEqual(['立案调整', '不予立案']);
    expect(sent.some((s) => s.card.title.includes('朱婷'))).toBe(false);
    // The job is done once: running the scheduler again sends nothing more.
    notifier.sent.length = 0;
    expect(await cards()).toEqual([]);
  });

  it('when 试用期满 against-votes are exactly one third, then it is 第八条（五）: 免去试任职务', async () => {
    await importLedgerFile(zone.db, 2026, SAMPLE_LEDGER[2].path, deps());
    const fifth = (await cards()).find((s) => s.to === 'P007' && s.card.title === '能上能下预警：第八条（五） 高翔')!;
    expect(fifth.before).toContain('数据：2026 年试用期满考核不同意转正得票 5/15 票（33.3%），达三分之一（考核结果：不合格）。');
    expect(fifth.before).toContain('处理：免去试任职务，一般按照试任前职级或者职务层次安排工作。');
  });

  it('finds the other items the sample shows: 基本称职 two years, 国资 聘任期满 不合格, last place two years (unit and 条线)', async () => {
    const report = await importLedgerFile(zone.db, 2026, SAMPLE_LEDGER[2].path, deps());
    expect(report.triggers.found).toEqual([
      '第八条（二） 胡斌：规划建设局2025、2026 年度一体化绩效考核（经济服务部门）均为最后一名（第 2/2 名、第 2/2 名）；胡斌为其主要领导',
      '第八条（二） 利港街道：利港街道安全生产条线工作2025、2026 年度一体化绩效考核均为最后一名（第 2/2 名、第 2/2 名）；条线负责人请组织人事部门核实',
      '第八条（三） 韩雪：2026 年度民主测评不称职得票 34%，超过三分之一',
      '第八条（四） 唐伟：2025、2026 年度考核均为基本称职等次',
      '第八条（五） 高翔：2026 年试用期满考核不同意转正得票 5/15 票（33.3%），达三分之一（考核结果：不合格）',
      '第八条（七） 余波：2026 年国资公司聘任期满考核不合格',
    ]);
  });

  it('when a 村 is last of its 镇街 two years running, or 江阴市 puts a unit in 第四等次 twice, then its heads are named', async () => {
    await zone.db.query(`INSERT INTO units (code, name, kind, parent_id, created_at, updated_at) SELECT 'ZJ01-C02', '东城村', '村/社区', id, '2026-01-01', '2026-01-01' FROM units WHERE code = 'ZJ01'`);
    const units = ledgerOf({
      units: [
        { code: 'ZJ01', name: '利港街道', cityGrade: '第四等次' },
        { code: 'ZJ01-C01', name: '西城村', townRank: '2' },
        { code: 'ZJ01-C02', name: '东城村', townRank: '1' },
      ],
    });
    await importLedger(zone.db, 2025, units, deps());
    const report = await importLedger(zone.db, 2026, units, deps());
    expect(report.triggers.found).toEqual([
      '第八条（一） 郭志明：利港街道2025、2026 年度江阴市年度考核均为第四等次；郭志明为其党政主要负责人',
      '第八条（九） 曹国庆：利港街道西城村2025、2026 年度在利港街道考核中均为最后一名（第 2/2 名、第 2/2 名）；曹国庆为其书记',
    ]);
  });

  it('when a corrected file no longer shows a trigger, then it lapses; one already acted on is kept', async () => {
    await importLedgerFile(zone.db, 2026, SAMPLE_LEDGER[2].path, deps());
    const [probation] = await zone.db.query(`SELECT id FROM adjustment_triggers WHERE item = 5 AND year = 2026`);
    await zone.services.adjustment.open({
      draftKey: 'open-gx', personId: zone.id('P020'), article: 8, item: 5, facts: '试用期满不同意转正 5/15', triggerId: Number(probation.id), carveOut: null,
      actor: await zone.person('P007'), channel: 'test',
    });
    const file = await readLedgerFile(SAMPLE_LEDGER[2].path);
    const corrected = file.people.map((r) => (r.code === 'P027' ? { ...r, incompetentShare: '10/30' } : r.code === 'P020' ? { ...r, probationAgainst: '4/15' } : r));
    const report = await importLedger(zone.db, 2026, { ...file, people: corrected }, deps());
    expect(report.triggers).toEqual({ found: [], lapsed: 1 });
    const rows = await zone.db.query(`SELECT item, status FROM adjustment_triggers WHERE item IN (3, 5) AND year = 2026 ORDER BY item`);
    expect(rows.map((r: { item: number; status: string }) => [Number(r.item), r.status])).toEqual([[3, 'lapsed'], [5, 'case_opened']]);
  });
});
