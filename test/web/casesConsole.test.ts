import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseFigures, CaseListView, DeadlinesView } from '../../src/web/api/contract';
import { databaseBackends, stateBackends } from '../support/backends';
import { fileSampleCases, type SampleCases } from '../support/webCases';
import { signedInClients } from '../support/webClient';
import { openWebStack, type WebStack } from '../support/webStack';

/**
 * 案件 and 概览's case figures in the console, over four 容错免责 requests filed and decided through
 * the workflow (test/support/webCases.ts), on 2026-11-27: who sees which, what the filters select,
 * how long each stage has waited in working days, what is past its 建议办理期限（本区设置）, and the
 * 台账 of exactly the filtered list, downloaded through the chat's own links.
 */
describe.each(databaseBackends.map((d, i) => [d, stateBackends[Math.min(i, stateBackends.length - 1)]] as const))('案件 in the console (%s, %s)', (database, stateBackend) => {
  let stack: WebStack;
  let sample: SampleCases;
  const as = signedInClients(() => stack);
  const list = async (code: string, query = '') => (await (await (await as(code)).api(`/cases${query}`)).json()) as CaseListView;
  const numbers = async (code: string, query = '') => (await list(code, query)).cases.map((c) => c.number);

  beforeAll(async () => {
    stack = await openWebStack(database, stateBackend, { WEB_SIGNIN_ATTEMPTS: '1000' });
    sample = await fileSampleCases(stack);
  });
  afterAll(async () => stack?.close());

  it('shows each person the cases their roles give them, newest first', async () => {
    const { atUnit, atDiscipline, granted, office } = sample;
    const all = [atDiscipline, atUnit, granted, office].map((c) => c.number);
    expect(await numbers('P005')).toEqual(all);
    // 梁红, 纪工委 of 利港街道: her territory's three, not 经济发展局's.
    expect(await numbers('P024')).toEqual(all.slice(0, 3));
    // 郑晓燕, 组织人事部门: the exemption only.
    expect(await numbers('P008')).toEqual([granted.number]);
    // 刘洋 holds the stage of 经济发展局's case: his 待办.
    expect(await numbers('P012')).toEqual([office.number]);
    // 邓丽 applied for three; 余波 for none.
    expect(await numbers('P029')).toEqual(all.slice(0, 3));
    expect(await numbers('P039')).toEqual([]);
  });

  it('says where each case stands, whom it waits on and for how many working days', async () => {
    const { cases } = await list('P005');
    const byNumber = new Map(cases.map((c) => [c.number, c]));
    const atUnit = byNumber.get(sample.atUnit.number)!;
    expect(atUnit.stages).toEqual([expect.objectContaining({ key: 'unit', title: '所在单位党组织意见', assignee: { code: 'P028', name: '曹国庆' }, openedOn: '2026-11-02', waitedWorkingDays: 19 })]);
    expect(byNumber.get(sample.atDiscipline.number)!.waitingOn).toEqual([{ code: 'P024', name: '梁红' }]);
    const granted = byNumber.get(sample.granted.number)!;
    expect(granted.statusLabel).toBe('予以容错免责');
    expect(granted.documents).toEqual({ form: true, reply: true, submission: false });
    const report = granted.tasks.find((t) => t.kind === 'report-city')!;
    expect(report).toMatchObject({ dueOn: '2026-10-27', overdue: true });
  });

  it('filters by kind, status, unit, year, stage and whom a case waits on', async () => {
    const { atUnit, atDiscipline, granted, office } = sample;
    expect(await numbers('P005', '?status=granted')).toEqual([granted.number]);
    expect(await numbers('P005', '?unit=JG03')).toEqual([office.number]);
    expect(await numbers('P005', '?stage=discipline')).toEqual([atDiscipline.number]);
    // 曹国庆 owes the one case's opinion and, as 西城村's secretary, the granted one's 整改措施.
    expect(await numbers('P005', '?waitingOn=P028')).toEqual([atUnit.number, granted.number]);
    expect(await numbers('P005', '?kind=filing')).toEqual([]);
    expect(await numbers('P005', '?year=2025')).toEqual([]);
    expect(await numbers('P005', '?year=2026&kind=tolerance&stage=unit')).toEqual([atUnit.number, office.number]);
    const view = await list('P005');
    expect(view.choices.waitingOn.map((p) => p.label)).toContain('曹国庆');
    expect(view.ledger).toBe(true);
    expect((await list('P029')).ledger).toBe(false);
  });

  it('refuses a filter that means nothing with a Chinese reason', async () => {
    const admin = await as('P005');
    for (const [query, said] of [['?kind=x', /类别应是/], ['?status=open', /没有这种办理状态/], ['?unit=NOPE', /单位编码“NOPE”不存在/], ['?year=26', /四位数字/], ['?waitingOn=a%20b', /人员编号只能/]] as const) {
      const answer = await admin.api(`/cases${query}`);
      expect(answer.status, query).toBe(400);
      expect(((await answer.json()) as { error: string }).error).toMatch(said);
    }
  });

  it('exports the 台账 of exactly what the filter shows, through a download link that is audited', async () => {
    const admin = await as('P005');
    const answer = await admin.api('/cases/ledger.xlsx?unit=ZJ01-C01');
    expect(answer.status).toBe(302);
    const file = await admin.request(answer.headers.get('location')!);
    expect(file.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await file.arrayBuffer());
    const sheet = book.getWorksheet('台账')!;
    const rows: string[] = [];
    sheet.eachRow((row, n) => n > 2 && rows.push(String(row.getCell(1).value)));
    expect(rows.sort()).toEqual((await numbers('P005', '?unit=ZJ01-C01')).sort());
    expect(rows).toHaveLength(3);
    expect(await stack.db.query(`SELECT subject FROM audit_log WHERE action = 'document.exported'`)).toEqual([{ subject: 'ledger' }]);
    const refused = await (await as('P029')).api('/cases/ledger.xlsx');
    expect(refused.status).toBe(403);
  });

  it('hands out a case’s form and 批复 through the chat’s links, to those the chat would give them', async () => {
    const applicant = await as('P029');
    const form = await applicant.api(`/cases/${sample.granted.number}/documents/reply`);
    expect(form.status).toBe(302);
    const file = await applicant.request(form.headers.get('location')!);
    expect(file.headers.get('content-type')).toContain('wordprocessingml');
    expect((await applicant.api(`/cases/${sample.atUnit.number}/documents/reply`)).status).toBe(404);
    const stranger = await (await as('P039')).api(`/cases/${sample.granted.number}/documents/form`);
    expect(stranger.status).toBe(403);
    expect(((await stranger.json()) as { error: string }).error).toBe(`您无权下载 ${sample.granted.number} 的文书。`);
    const personnel = await (await as('P008')).api(`/cases/${sample.granted.number}/documents/form`);
    expect(personnel.status).toBe(403);
    const unknown = await applicant.api(`/cases/${sample.granted.number}/documents/minutes`);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toMatch(/文书应是 form/);
    const refusals = await stack.db.query(`SELECT p.code, a.subject FROM audit_log a JOIN people p ON p.id = a.actor_id WHERE a.action = 'document.refused' ORDER BY a.id`);
    expect(refusals).toEqual([{ code: 'P039', subject: `case:${sample.granted.id}` }, { code: 'P008', subject: `case:${sample.granted.id}` }]);
  });

  it('counts 概览’s figures from the same cases: by status, stage waits, overdue tasks, per month, 报备', async () => {
    const f = (await (await (await as('P005')).api('/overview/cases?year=2026')).json()) as CaseFigures;
    expect(f.total).toBe(4);
    // A status's words across the chains, 组织调整's among them.
    expect(f.byStatus).toEqual([{ status: 'in_review', label: '审批中／办理中', count: 3 }, { status: 'granted', label: '予以容错免责／同意备案／予以澄清正名／已调整', count: 1 }]);
    expect(f.byStage[0]).toMatchObject({ title: '所在单位党组织意见', count: 2 });
    expect(f.perMonth.map((m) => m.tolerance)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 0]);
    expect(f.overdue.map((o) => o.number)).toContain(sample.granted.number);
    expect(f.city).toEqual([{ number: sample.granted.number, kindTitle: '容错免责申请', applicant: '邓丽', way: '报备', done: null, dueOn: '2026-10-27' }]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await (await as('P005')).api('/overview/cases.xlsx?year=2026')).arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).toEqual(['按状态', '按环节', '超过建议办理期限', '按月', '报备呈报']);
    expect(book.getWorksheet('按状态')!.getRow(4).values).toEqual([undefined, '予以容错免责／同意备案／予以澄清正名／已调整', 1]);
  });

  it('shows the 建议办理期限 settings as the zone’s own', async () => {
    const view = (await (await (await as('P005')).api('/settings/deadlines')).json()) as DeadlinesView;
    expect(view.settings[0]).toEqual({ key: 'reportToCity', env: 'SUGGESTED_DAYS_REPORT_TO_CITY', label: '报备市纪委监委', days: 15 });
  });
});
