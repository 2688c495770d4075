import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TalkFigures } from '../../src/web/api/contract';
import { databaseBackends, stateBackends } from '../support/backends';
import { fileSampleCases } from '../support/webCases';
import { WebClient } from '../support/webClient';
import { openWebStack, type WebStack } from '../support/webStack';

/**
 * Who may call what of the console's API, tried by every role of the sample roster against every
 * endpoint, as the chat's matrix does (test/security/authorization.test.ts). The world: 曹国庆
 * (西城村) held a talk with 邓丽 of his village, and decided on her requests for 容错免责 (one granted).
 *
 * A cell is `Y` when the request got past the roles (any answer but 401/403: a bad token still
 * gets its 409 or 422) and `-` when refused: then the answer was 403 AND the audit log gained a line
 * ending in `.refused` for that person. Refused without the audit line shows as `!`.
 */
const ENDPOINTS: { name: string; method: string; path: string; body?: () => string | Uint8Array }[] = [
  { name: 'me', method: 'GET', path: '/me' },
  { name: 'overview', method: 'GET', path: '/overview/talks?year=2026' },
  { name: 'overviewExport', method: 'GET', path: '/overview/talks.xlsx?year=2026' },
  { name: 'progress', method: 'GET', path: '/talks/progress?year=2026' },
  { name: 'records', method: 'GET', path: '/talks/records?year=2026' },
  { name: 'readTalk', method: 'GET', path: '/talks/records/{talk}' },
  { name: 'roster', method: 'GET', path: '/roster' },
  { name: 'rosterExport', method: 'GET', path: '/roster/export.xlsx' },
  { name: 'importPreview', method: 'POST', path: '/roster/import/preview', body: () => new Uint8Array([1, 2, 3]) },
  { name: 'importApply', method: 'POST', path: '/roster/import/apply', body: () => JSON.stringify({ token: 'x'.repeat(32) }) },
  { name: 'syncPreview', method: 'POST', path: '/roster/sync/wecom/preview', body: () => '{}' },
  { name: 'syncApply', method: 'POST', path: '/roster/sync/wecom/apply', body: () => JSON.stringify({ token: 'x'.repeat(32) }) },
  { name: 'calendar', method: 'GET', path: '/settings/calendar/2027' },
  { name: 'calendarPreview', method: 'POST', path: '/settings/calendar/2027/preview', body: () => JSON.stringify({ notice: '春节：2月5日至13日放假，共9天。' }) },
  { name: 'calendarLoad', method: 'PUT', path: '/settings/calendar/2027', body: () => JSON.stringify({ notice: '没有日期' }) },
  { name: 'quotaRules', method: 'GET', path: '/settings/quota-rules' },
  { name: 'quotaSet', method: 'PUT', path: '/settings/quota-rules/JG03', body: () => JSON.stringify({ period: 'quarter', times: 1 }) },
  { name: 'quotaRemove', method: 'DELETE', path: '/settings/quota-rules/JG03' },
  { name: 'audit', method: 'GET', path: '/audit' },
  { name: 'auditExport', method: 'GET', path: '/audit.xlsx' },
  { name: 'cases', method: 'GET', path: '/cases' },
  { name: 'caseLedger', method: 'GET', path: '/cases/ledger.xlsx?year=2026' },
  { name: 'caseForm', method: 'GET', path: '/cases/{case}/documents/form' },
  { name: 'caseReply', method: 'GET', path: '/cases/{case}/documents/reply' },
  { name: 'overviewCases', method: 'GET', path: '/overview/cases?year=2026' },
  { name: 'overviewCasesExport', method: 'GET', path: '/overview/cases.xlsx?year=2026' },
  { name: 'deadlines', method: 'GET', path: '/settings/deadlines' },
  { name: 'matters', method: 'GET', path: '/matters?year=2026' },
  { name: 'exemptions', method: 'GET', path: '/exemptions' },
  { name: 'exemptionsExport', method: 'GET', path: '/exemptions.xlsx' },
  { name: 'integrated', method: 'GET', path: '/settings/integrated-matters' },
  { name: 'integratedSet', method: 'PUT', path: '/settings/integrated-matters', body: () => JSON.stringify({ matters: ['规划建设一体化'] }) },
];

// prettier-ignore
const MATRIX: [role: string, code: string, cells: string][] = [
  //                                            me 概览 导出 进度 记录 内容 名册 导出 预览 导入 同步 关联 日历 预览 载入 频次 设置 取消 审计 导出 案件 台账 表格 批复 统计 导出 期限 问责 免责 导出 一体 设置
  ['党群工作部（王芳）',                   'P005', 'Y  Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y'],
  ['开发区纪工委书记（吴海燕，兼主要领导）', 'P009', 'Y  Y    Y    Y    Y    -    -    -    -    -    -    -    Y    -    -    Y    -    -    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    -'],
  ['属地纪工委（利港街道 梁红）',           'P024', 'Y  -    -    Y    Y    -    -    -    -    -    -    -    Y    -    -    Y    -    -    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    -'],
  ['组织人事部门（郑晓燕）',               'P008', 'Y  -    -    Y    Y    -    Y    Y    -    -    -    -    Y    -    -    Y    -    -    -    -    Y    Y    -    -    -    -    Y    -    Y    Y    Y    -'],
  ['机关部门主要领导（刘洋）',             'P012', 'Y  Y    Y    Y    Y    -    -    -    -    -    -    -    Y    -    -    Y    -    -    -    -    Y    -    -    -    Y    Y    Y    -    -    -    Y    -'],
  ['街道党工委书记（郭志明）',             'P021', 'Y  Y    Y    Y    Y    Y    -    -    -    -    -    -    Y    -    -    Y    -    -    -    -    Y    -    Y    Y    Y    Y    Y    -    -    -    Y    -'],
  ['谈话人（西城村 曹国庆）',               'P028', 'Y  Y    Y    Y    Y    Y    -    -    -    -    -    -    Y    -    -    Y    -    -    -    -    Y    -    Y    Y    Y    Y    Y    -    -    -    Y    -'],
  ['谈话对象（西城村 邓丽）',               'P029', 'Y  -    -    Y    Y    -    -    -    -    -    -    -    Y    -    -    Y    -    -    -    -    Y    -    Y    Y    -    -    Y    -    -    -    Y    -'],
  ['无关干部（城投集团 余波）',             'P039', 'Y  -    -    Y    Y    -    -    -    -    -    -    -    Y    -    -    Y    -    -    -    -    Y    -    -    -    -    -    Y    -    -    -    Y    -'],
];

describe.each(databaseBackends.map((d, i) => [d, stateBackends[Math.min(i, stateBackends.length - 1)]] as const))('the authorisation matrix over the console API (%s, %s)', (database, stateBackend) => {
  let stack: WebStack;
  let talk: string;
  /** 邓丽's granted request (test/support/webCases.ts): 西城村, decided by 曹国庆, 梁红, 郭志明 and 陈建国. */
  let granted: string;
  const clients = new Map<string, WebClient>();

  beforeAll(async () => {
    stack = await openWebStack(database, stateBackend, { WEB_SIGNIN_ATTEMPTS: '1000' });
    const { roster, talks } = stack.bot.services;
    const [talker, talkee] = await Promise.all(['P028', 'P029'].map(async (code) => (await roster.personByCode(code))!));
    talk = (await talks.record({
      draftKey: 'web-matrix', talkerId: talker.id, talkeeIds: [talkee.id], talkedOn: '2026-10-15', kind: '年度谈心谈话', place: '村委会',
      topics: ['思想状况'], summary: '与邓丽交流了村务监督工作的思想顾虑。', issuesRaised: null, followUps: null, channel: 'simulator',
    })).number;
    granted = (await fileSampleCases(stack)).granted.number;
    for (const [, code] of MATRIX) {
      const client = new WebClient(stack.url, stack.adminUrl);
      expect((await client.devSignIn(code)).status).toBe(302);
      clients.set(code, client);
    }
  });
  afterAll(async () => stack?.close());

  const refusals = async (code: string) =>
    Number((await stack.db.query(`SELECT COUNT(*) AS n FROM audit_log a JOIN people p ON p.id = a.actor_id WHERE p.code = ? AND a.action LIKE '%.refused'`, [code]))[0].n);

  it('lets each role call exactly what its cell says, and writes down every refusal', async () => {
    const seen: string[] = [];
    for (const [role, code] of MATRIX) {
      const client = clients.get(code)!;
      const cells: string[] = [];
      for (const endpoint of ENDPOINTS) {
        const before = await refusals(code);
        const response = await client.api(endpoint.path.replace('{talk}', talk).replace('{case}', granted), { method: endpoint.method, body: endpoint.body?.() });
        await response.arrayBuffer();
        if (response.status === 401) throw new Error(`${code} is not signed in`);
        const audited = (await refusals(code)) > before;
        cells.push(response.status !== 403 ? 'Y' : audited ? '-' : '!');
      }
      seen.push(`${role} ${code} ${cells.join(' ')}`);
    }
    expect(seen).toEqual(MATRIX.map(([role, code, row]) => `${role} ${code} ${row.trim().split(/\s+/).join(' ')}`));
  });

  it('cuts what each may see to their scope: the zone, their units, their own talks; the audit log to the territory', async () => {
    const figures = async (code: string) => (await (await clients.get(code)!.api('/talks/progress?year=2026')).json()) as TalkFigures;
    const zone = await figures('P005');
    const units = await figures('P012');
    const own = await figures('P039');
    expect([zone.scope, units.scope, own.scope]).toEqual(['zone', 'units', 'own']);
    expect(units.byLeader.length).toBeGreaterThan(0);
    expect(units.byLeader.length).toBeLessThan(zone.byLeader.length);
    expect(units.byUnit.map((u) => u.name)).toEqual(['经济发展局']);
    expect(own.byLeader).toEqual([]);

    const records = async (code: string) => ((await (await clients.get(code)!.api('/talks/records?year=2026')).json()) as { records: { number: string; readable: boolean }[] }).records;
    expect(await records('P029')).toEqual([expect.objectContaining({ number: talk, readable: false })]);
    expect(await records('P039')).toEqual([]);
    expect(await records('P021')).toEqual([expect.objectContaining({ readable: true })]);

    const auditActors = async (code: string, query = '') => new Set(((await (await clients.get(code)!.api(`/audit${query}`)).json()) as { rows: { actor: { code: string } | null }[] }).rows.map((r) => r.actor?.code));
    // The matrix's refusals make more than a page: the largest page holds them all.
    const territory = await auditActors('P024', '?pageSize=100');
    // 梁红 sees what people of 利港街道 did (西城村's 曹国庆 and 邓丽 among them), not the zone offices'.
    expect(territory.has('P028') && territory.has('P029') && territory.has('P024')).toBe(true);
    expect(territory.has('P005') || territory.has('P012') || territory.has('P039')).toBe(false);
    // The sample cases' decisions fill the first page: 余波's lines are found by his name.
    expect((await auditActors('P005', '?person=P039')).has('P039')).toBe(true);
  });

  it('refuses every change without the CSRF token or from another site, and answers 401 to no session at all', async () => {
    const admin = clients.get('P005')!;
    for (const headers of [{}, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': admin.csrf, origin: 'https://evil.example' }, { 'x-csrf-token': admin.csrf, 'sec-fetch-site': 'cross-site' }]) {
      const answer = await admin.request('/api/settings/quota-rules/JG03', { method: 'PUT', headers: { 'content-type': 'application/json', ...(headers as Record<string, string>) }, body: JSON.stringify({ period: 'month', times: 2 }) });
      expect(answer.status).toBe(403);
    }
    expect(await stack.db.query(`SELECT * FROM talk_quota_rules WHERE period = 'month'`)).toEqual([]);
    for (const endpoint of ENDPOINTS) {
      const answer = await new WebClient(stack.url).api(endpoint.path.replace('{talk}', talk).replace('{case}', granted), { method: endpoint.method, body: endpoint.body?.() });
      expect(answer.status, endpoint.name).toBe(401);
    }
  });
});
