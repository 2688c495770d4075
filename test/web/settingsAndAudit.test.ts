import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, CalendarView, QuotaRulesView } from '../../src/web/api/contract';
import { databaseBackends, stateBackends } from '../support/backends';
import { WebClient } from '../support/webClient';
import { openWebStack, type WebStack } from '../support/webStack';

const NOTICE_2027 = [
  '一、元旦：1月1日（周五）至3日（周日）放假，共3天。',
  '二、春节：2月5日（周五）至13日（周六）放假调休，共9天。1月31日（周日）、2月20日（周六）上班。',
].join('\n');

describe.each(databaseBackends.map((d, i) => [d, stateBackends[Math.min(i, stateBackends.length - 1)]] as const))('设置 and 审计 in the console (%s, %s)', (database, stateBackend) => {
  let stack: WebStack;
  let admin: WebClient;
  beforeAll(async () => {
    stack = await openWebStack(database, stateBackend, { WEB_SIGNIN_ATTEMPTS: '1000' });
    admin = new WebClient(stack.url, stack.adminUrl);
    await admin.devSignIn('P005');
  });
  afterAll(async () => stack?.close());

  const json = <T>(r: Response) => r.json() as Promise<T>;
  const loads = async () => Number((await stack.db.query('SELECT COUNT(*) AS n FROM calendar_loads'))[0].n);

  it('previews a pasted State Council notice, loads it through the calendar use case, audited with 网页 as its channel', async () => {
    const shown = await admin.api('/settings/calendar/2027/preview', { method: 'POST', body: JSON.stringify({ notice: NOTICE_2027 }) });
    expect(shown.status).toBe(200);
    expect(((await shown.json()) as { days: unknown[] }).days).toHaveLength(14);
    expect(await loads()).toBe(0);
    const loaded = await admin.api('/settings/calendar/2027', { method: 'PUT', body: JSON.stringify({ notice: NOTICE_2027 }) });
    expect(await json<{ text: string }>(loaded)).toMatchObject({ text: '2027 年：已载入放假 12 天、调休上班 2 天，代替仅按周一至周五计算。' });
    const view = await json<CalendarView>(await admin.api('/settings/calendar/2027'));
    expect(view.source).toBe('loaded');
    expect(view.days.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual(['2027-01-31', '2027-02-20']);
    expect(view.description).toContain('通过网页');
    const [line] = (await stack.db.query(`SELECT channel, actor_id FROM audit_log WHERE action = 'calendar.loaded'`)) as { channel: string }[];
    expect(line.channel).toBe('web');
  });

  it('refuses a wrong notice line by line and a malformed request, loading nothing', async () => {
    const before = await loads();
    const wrong = await admin.api('/settings/calendar/2028/preview', { method: 'POST', body: JSON.stringify({ notice: '春节：2月5日至13日放假，共8天。' }) });
    expect(wrong.status).toBe(422);
    expect(JSON.stringify(await wrong.json())).toContain('写明“共8天”');
    const weekday = await admin.api('/settings/calendar/2028', { method: 'PUT', body: JSON.stringify({ notice: '春节：2月5日至6日放假，共2天。2月9日上班。' }) });
    expect(weekday.status).toBe(422);
    expect(JSON.stringify(await weekday.json())).toContain('调休上班只能是周六或周日');
    for (const body of ['{}', '{"notice": 5}', 'not json', JSON.stringify({ notice: 'x'.repeat(30_000) })]) {
      expect([400, 413]).toContain((await admin.api('/settings/calendar/2028', { method: 'PUT', body })).status);
    }
    expect((await admin.api('/settings/calendar/1999')).status).toBe(400);
    expect(await loads()).toBe(before);
  });

  it('sets and removes a unit’s talk frequency through TalkQuotaRules, and refuses bad ones unchanged', async () => {
    expect((await admin.api('/settings/quota-rules/JG03', { method: 'PUT', body: JSON.stringify({ period: 'quarter', times: 2 }) })).status).toBe(200);
    let view = await json<QuotaRulesView>(await admin.api('/settings/quota-rules'));
    expect(view.rules).toEqual([{ unitCode: 'JG03', unitName: '经济发展局', rule: { period: 'quarter', times: 2 }, words: '每季度至少 2 次' }]);
    const tooMany = await admin.api('/settings/quota-rules/JG03', { method: 'PUT', body: JSON.stringify({ period: 'month', times: 3 }) });
    expect(tooMany.status).toBe(422);
    expect(JSON.stringify(await tooMany.json())).toContain('多于每月 1 次');
    expect((await admin.api('/settings/quota-rules/JG03', { method: 'PUT', body: JSON.stringify({ period: 'weekly', times: 1 }) })).status).toBe(400);
    expect((await admin.api('/settings/quota-rules/NOPE', { method: 'PUT', body: JSON.stringify({ period: 'year', times: 1 }) })).status).toBe(404);
    view = await json<QuotaRulesView>(await admin.api('/settings/quota-rules'));
    expect(view.rules[0].rule).toEqual({ period: 'quarter', times: 2 });
    expect((await admin.api('/settings/quota-rules/JG03', { method: 'DELETE' })).status).toBe(200);
    expect((await json<QuotaRulesView>(await admin.api('/settings/quota-rules'))).rules).toEqual([]);
    expect((await stack.db.query(`SELECT action FROM audit_log WHERE action LIKE 'talk-quota-rule.%' ORDER BY id`)).map((r: { action: string }) => r.action)).toEqual(['talk-quota-rule.set', 'talk-quota-rule.removed']);
  });

  it('searches the audit log by person, action and date, and exports what the search shows', async () => {
    const byPerson = await json<AuditPage>(await admin.api(`/audit?person=${encodeURIComponent('王芳')}&action=talk-quota-rule`));
    expect(byPerson.rows.map((r) => r.action)).toEqual(['talk-quota-rule.removed', 'talk-quota-rule.set']);
    expect(byPerson.rows[0].actor).toEqual({ code: 'P005', name: '王芳' });
    const day = (await json<AuditPage>(await admin.api('/audit?from=2026-11-27&to=2026-11-27'))).total;
    expect(day).toBeGreaterThan(3);
    expect((await json<AuditPage>(await admin.api('/audit?from=2026-11-28'))).total).toBe(0);
    expect((await json<AuditPage>(await admin.api('/audit?case=RC2026-9999'))).total).toBe(0);
    for (const bad of ['from=yesterday', 'action=%25%27%20OR%201%3D1', 'to=2026-1-1']) expect((await admin.api(`/audit?${bad}`)).status).toBe(400);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await (await admin.api(`/audit.xlsx?person=P005&action=talk-quota-rule`)).arrayBuffer());
    const rows = book.getWorksheet('审计日志')!.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((r) => r[5])).toEqual(['talk-quota-rule.removed', 'talk-quota-rule.set']);
    expect(Number((await stack.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'audit.exported'`))[0].n)).toBe(1);
  });
});
