import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseListView, ExemptionListView, IntegratedMattersView, MatterListView, RosterView, AuditPage } from '../../src/web/api/contract';
import { databaseBackends, stateBackends } from '../support/backends';
import { fileSampleCases, type SampleCases } from '../support/webCases';
import { fileSampleMatters, type SampleMatters } from '../support/webMatters';
import { signedInClients } from '../support/webClient';
import { openWebStack, type WebStack } from '../support/webStack';

/**
 * The 纪工委's 问责事项, 组织人事部门's 容错免责执行, 设置's 八个一体化 and the paged lists, over the
 * sample requests (test/support/webCases.ts) and three matters with one 澄清正名 (webMatters.ts).
 */
describe.each(databaseBackends.map((d, i) => [d, stateBackends[Math.min(i, stateBackends.length - 1)]] as const))('问责事项, 容错免责 and 八个一体化 in the console (%s, %s)', (database, stateBackend) => {
  let stack: WebStack;
  let cases: SampleCases;
  let matters: SampleMatters;
  const as = signedInClients(() => stack);
  const get = async <T>(code: string, path: string) => {
    const answer = await (await as(code)).api(path);
    expect(answer.status, path).toBe(200);
    return (await answer.json()) as T;
  };
  const count = async (table: string) => Number((await stack.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    stack = await openWebStack(database, stateBackend, { WEB_SIGNIN_ATTEMPTS: '1000' });
    cases = await fileSampleCases(stack);
    matters = await fileSampleMatters(stack);
  });
  afterAll(async () => stack?.close());

  it('lists the 问责事项 of each 纪工委 member’s territory, newest first, with the cases that answer to them', async () => {
    const numbers = async (code: string, query = '') => (await get<MatterListView>(code, `/matters${query}`)).matters.map((m) => m.number);
    const { village, office, bureau } = matters;
    expect(await numbers('P005')).toEqual([bureau.number, office.number, village.number]);
    expect(await numbers('P009')).toEqual([bureau.number, office.number, village.number]);
    // 梁红 covers 利港街道: 邓丽's matter, not 经济发展局's.
    expect(await numbers('P024')).toEqual([village.number]);
    const [shown] = (await get<MatterListView>('P024', '/matters')).matters;
    expect(shown).toMatchObject({
      subject: '邓丽（西城村村委委员）', unit: '西城村', summary: '反映西城村集体资产出租不规范', openedOn: '2026-11-05',
      openedBy: { code: 'P024', name: '梁红' }, status: 'unfounded', statusLabel: '经查举报失实',
      cases: [{ number: matters.clearance.number, kindTitle: '澄清正名', statusLabel: expect.any(String) }],
    });
    expect((await get<MatterListView>('P005', '/matters')).matters.find((m) => m.number === bureau.number)!.subject).toBe('经济发展局（单位）');
  });

  it('filters the matters by status, unit (with the units below) and year, and pages them', async () => {
    const numbers = async (query: string) => (await get<MatterListView>('P005', `/matters${query}`)).matters.map((m) => m.number);
    const { village, office, bureau } = matters;
    expect(await numbers('?status=open')).toEqual([bureau.number, office.number]);
    expect(await numbers('?unit=JG03')).toEqual([bureau.number, office.number]);
    expect(await numbers('?unit=ZJ01')).toEqual([village.number]);
    expect(await numbers('?year=2025')).toEqual([bureau.number]);
    expect(await numbers('?status=unfounded&year=2026&unit=ZJ01')).toEqual([village.number]);
    const page = await get<MatterListView>('P005', '/matters?page=2&pageSize=2');
    expect([page.total, page.page, page.pageSize, page.matters.map((m) => m.number)]).toEqual([3, 2, 2, [village.number]]);
    expect((await get<MatterListView>('P024', '/matters')).choices.units).toEqual([{ value: 'ZJ01-C01', label: '西城村' }]);
  });

  it('shows the 澄清正名 of the territory through the 案件 list', async () => {
    const clearances = async (code: string) => (await get<CaseListView>(code, '/cases?kind=clearance')).cases.map((c) => c.number);
    expect(await clearances('P024')).toEqual([matters.clearance.number]);
    expect(await clearances('P005')).toEqual([matters.clearance.number]);
    expect(await clearances('P012')).toEqual([]);
    expect((await get<CaseListView>('P005', '/cases')).choices.kinds.map((k) => k.label)).toEqual(expect.arrayContaining(['容错免责申请', '改革创新风险备案', '澄清正名']));
  });

  it('lists the exemptions 组织人事部门 execute, with their own task, and exports exactly what the filter shows', async () => {
    const view = await get<ExemptionListView>('P008', '/exemptions');
    expect(view.total).toBe(1);
    const [e] = view.exemptions;
    expect(e).toMatchObject({
      number: cases.granted.number, person: { code: 'P029', name: '邓丽' }, unit: '西城村', revoked: null,
      outcome: '予以容错免责，作《容错细则》第七条（一）（三）处理',
      outcomes: ['（一）在党风廉政建设责任制考核中免予扣分，免予一票否决', '（三）在开发区一体化绩效考核中免予或减少扣分'],
      reply: { title: '批复', issuedOn: '2026-10-12' },
      execution: { assignee: { code: 'P007', name: '钱志刚' }, dueOn: '2026-11-11', status: 'open', overdue: true },
    });
    expect(e.execution!.label).toBe('钱志刚待执行（建议 2026-11-11 前办理，已超过）');
    expect((await get<ExemptionListView>('P024', '/exemptions')).total).toBe(1);
    expect((await get<ExemptionListView>('P008', '/exemptions?state=revoked')).total).toBe(0);
    expect((await get<ExemptionListView>('P008', '/exemptions?unit=JG03')).total).toBe(0);
    expect((await get<ExemptionListView>('P008', '/exemptions?year=2026&state=valid')).total).toBe(1);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await (await as('P008')).api('/exemptions.xlsx?state=valid')).arrayBuffer());
    const rows = book.getWorksheet('容错免责')!.getSheetValues().slice(1) as unknown[][];
    expect(rows.map((r) => [r[1], r[3], r[8], r[9]])).toEqual([['编号', '姓名', '状态', '组织人事部门执行'], [cases.granted.number, '邓丽', '有效', '钱志刚待执行（建议 2026-11-11 前办理，已超过）']]);
    expect(Number((await stack.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'exemptions.exported'`))[0].n)).toBe(1);
  });

  it('refuses a filter or a page that means nothing with a Chinese reason, and stores nothing', async () => {
    const before = await Promise.all(['audit_log', 'accountability_matters', 'cases'].map(count));
    const bad: [string, RegExp][] = [
      ['/matters?status=closedd', /状态应是问责办理中、已予容错免责/], ['/matters?unit=NOPE', /单位编码“NOPE”不存在/], ['/matters?unit=a%20b', /单位编码只能/],
      ['/matters?year=26', /四位数字/], ['/matters?page=0', /页码应是从 1 开始的整数/], ['/matters?pageSize=101', /每页条数应是 1 到 100/],
      ['/exemptions?state=all', /状态应是 valid/], ['/exemptions?unit=NOPE', /不存在/], ['/exemptions?year=abcd', /四位数字/], ['/exemptions?page=-1', /页码/],
      ['/exemptions.xlsx?year=20266', /四位数字/], ['/cases?page=x', /页码/], ['/cases?pageSize=0', /每页条数/], ['/audit?page=1.5', /页码/],
      ['/roster?unit=NOPE', /单位编码“NOPE”不存在/], ['/roster?pageSize=1000', /每页条数/],
    ];
    for (const [path, said] of bad) {
      const answer = await (await as('P005')).api(path);
      expect(answer.status, path).toBe(400);
      expect(((await answer.json()) as { error: string }).error, path).toMatch(said);
    }
    expect(await Promise.all(['audit_log', 'accountability_matters', 'cases'].map(count))).toEqual(before);
  });

  it('sets the zone’s 八个一体化 list through the chat’s use case, audited, and refuses a bad list unchanged', async () => {
    const admin = await as('P005');
    const put = (body: string) => admin.api('/settings/integrated-matters', { method: 'PUT', body });
    const unset = await get<IntegratedMattersView>('P039', '/settings/integrated-matters');
    expect(unset).toMatchObject({ matters: [], set: false, limits: { most: 20, shortest: 2, longest: 40 } });
    expect(unset.description).toContain('尚未由党群工作部设置');

    const saved = await put(JSON.stringify({ matters: ['规划建设一体化', ' 招商引资一体化 '] }));
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ matters: ['规划建设一体化', '招商引资一体化'], set: true, updatedBy: '王芳' });
    // The chat reads the same list.
    expect((await stack.bot.services.zoneSettings.integratedMatters()).matters).toEqual(['规划建设一体化', '招商引资一体化']);
    const [line] = (await stack.db.query(`SELECT channel, detail FROM audit_log WHERE action = 'setting.changed'`)) as { channel: string; detail: string }[];
    expect(line.channel).toBe('web');
    expect(JSON.parse(line.detail)).toEqual({ before: null, after: ['规划建设一体化', '招商引资一体化'] });

    const before = await Promise.all(['audit_log', 'zone_settings'].map(count));
    const stored = await stack.db.query(`SELECT value FROM zone_settings`);
    const refused: [string, RegExp][] = [
      [JSON.stringify({ matters: [] }), /清单不能为空/],
      [JSON.stringify({ matters: ['规划建设一体化', '规划建设一体化'] }), /列了两次/],
      [JSON.stringify({ matters: ['规'] }), /长度应在 2 到 40 字之间/],
      [JSON.stringify({ matters: ['x'.repeat(41)] }), /长度应在 2 到 40 字之间/],
      [JSON.stringify({ matters: Array.from({ length: 21 }, (_, i) => `事项${i}号`) }), /最多 20 项/],
      [JSON.stringify({ matters: '规划建设一体化' }), /请填写“八个一体化”事项清单/],
      [JSON.stringify({ matters: [1, 2] }), /请填写/],
      ['not json', /请填写“八个一体化”事项清单/],
    ];
    for (const [body, said] of refused) {
      const answer = await put(body);
      expect(answer.status, body).toBe(400);
      expect(((await answer.json()) as { error: string }).error, body).toMatch(said);
    }
    expect(await Promise.all(['audit_log', 'zone_settings'].map(count))).toEqual(before);
    expect(await stack.db.query(`SELECT value FROM zone_settings`)).toEqual(stored);
  });

  it('pages the long lists on the server with their totals: 案件, 审计 and 名册', async () => {
    const all = await get<CaseListView>('P005', '/cases');
    const second = await get<CaseListView>('P005', '/cases?page=2&pageSize=2');
    expect([second.total, second.page, second.pageSize]).toEqual([all.total, 2, 2]);
    expect(second.cases.map((c) => c.number)).toEqual(all.cases.slice(2, 4).map((c) => c.number));
    const audit = await get<AuditPage>('P005', '/audit?page=2&pageSize=3');
    const first = await get<AuditPage>('P005', '/audit?pageSize=6');
    expect(audit.rows.map((r) => r.id)).toEqual(first.rows.slice(3, 6).map((r) => r.id));
    const roster = await get<RosterView>('P005', '/roster?pageSize=10&page=2');
    expect(roster.people).toHaveLength(10);
    expect(roster.total).toBeGreaterThan(20);
    expect((await get<RosterView>('P005', '/roster?unit=JG03')).people.every((p) => p.unitCode === 'JG03')).toBe(true);
    expect((await get<RosterView>('P005', `/roster?search=${encodeURIComponent('邓丽')}`)).people.map((p) => p.code)).toEqual(['P029']);
  });

  it('marks an exemption revoked under 第十条, with its ground, where 组织人事部门 see it', async () => {
    const liang = (await stack.bot.roster.personByCode('P024'))!;
    await stack.bot.services.tolerance.revoke(cases.granted.number, liang, 0, '经查，申请材料中的会议记录系事后补写。', 'simulator');
    const { exemptions } = await get<ExemptionListView>('P008', '/exemptions?state=revoked');
    expect(exemptions).toEqual([expect.objectContaining({ number: cases.granted.number, revoked: '《容错细则》第十条（一）申请免责材料弄虚作假、欺骗组织的' })]);
    expect((await get<ExemptionListView>('P008', '/exemptions?state=valid')).total).toBe(0);
  });
});
