import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseListView } from '../../src/web/api/contract';
import { databaseBackends, stateBackends } from '../support/backends';
import { WebClient } from '../support/webClient';
import { openWebStack, type WebStack } from '../support/webStack';

/**
 * An adjustment (《能上能下办法》第十二条) is an ordinary case now, and is read as the issue-16 rule
 * gives it: 组织人事部门 and 党群工作部 see it on the console and open its page; the officer who
 * holds its stage does; the cadre it is about and the 纪工委 of her territory do not, and are
 * refused and written down as for any other case.
 */
describe.each(databaseBackends.map((d, i) => [d, stateBackends[Math.min(i, stateBackends.length - 1)]] as const))('who reads an adjustment case (%s, %s)', (database, stateBackend) => {
  let stack: WebStack;
  let number = '';
  const signedIn = async (code: string) => {
    const client = new WebClient(stack.url, stack.adminUrl);
    await client.devSignIn(code);
    return client;
  };
  const listed = async (code: string) => ((await (await (await signedIn(code)).api('/cases')).json()) as CaseListView).cases.map((c) => c.number);
  const page = async (code: string) => (await signedIn(code)).request(`/m/cases/${number}`);

  beforeAll(async () => {
    stack = await openWebStack(database, stateBackend, { WEB_SIGNIN_ATTEMPTS: '1000' });
    const { adjustment, roster } = stack.bot.services;
    const officer = (await roster.personByCode('P007'))!;
    const hanXue = (await roster.personByCode('P027'))!;
    const { record } = await adjustment.open({
      draftKey: 'web-adj', personId: hanXue.id, article: 8, item: 3, facts: '2026 年度民主测评不称职得票 34%，超过三分之一', triggerId: null, carveOut: null, actor: officer, channel: 'test',
    });
    number = record.number;
  });
  afterAll(async () => stack?.close());

  it('lists it, under its kind’s name, for 组织人事部门 and 党群工作部, and for no one else', async () => {
    expect(await listed('P007')).toContain(number);
    expect(await listed('P008')).toContain(number);
    expect(await listed('P005')).toContain(number);
    // 韩雪, the cadre it is about; 梁红, 纪工委 of 利港街道 where 韩雪 works.
    expect(await listed('P027')).not.toContain(number);
    expect(await listed('P024')).not.toContain(number);
    const view = (await (await (await signedIn('P007')).api('/cases?kind=adjustment')).json()) as CaseListView;
    expect(view.cases.map((c) => [c.number, c.kindTitle, c.statusLabel])).toEqual([[number, '组织调整', '办理中']]);
    expect(view.choices.kinds).toContainEqual({ value: 'adjustment', label: '组织调整' });
  });

  it('opens its page for them, with the officer’s turn; refuses the cadre and the 纪工委, audited', async () => {
    const officer = await page('P007');
    expect(officer.status).toBe(200);
    const html = await officer.text();
    expect(html).toContain('临港开发区组织调整登记表');
    expect(html).toContain('待您办理：考察核实');
    expect((await page('P005')).status).toBe(200);
    for (const code of ['P027', 'P024']) {
      const refused = await page(code);
      expect(refused.status, code).toBe(403);
      expect(await refused.text()).toContain(`您无权查看 ${number}。组织调整材料仅向组织人事部门、党群工作部和办理人员开放`);
    }
    // Its 组织调整登记表 too: a download link for the officer, nothing for the cadre.
    expect((await (await signedIn('P007')).request(`/m/cases/${number}/documents/form/docx`)).status).toBe(302);
    expect((await (await signedIn('P027')).request(`/m/cases/${number}/documents/form/docx`)).status).toBe(403);
    const audited = (await stack.db.query(`SELECT p.code FROM audit_log a JOIN people p ON p.id = a.actor_id WHERE a.action = 'case.view.refused' ORDER BY a.id`)) as { code: string }[];
    expect(audited.map((a) => a.code)).toEqual(['P027', 'P024', 'P027']);
  });
});
