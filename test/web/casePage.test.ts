import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIX_LOOKS } from '../../src/domain/tolerance/policy';
import { selectOpened } from '../../src/storage/confidential';
import { databaseBackends, stateBackends } from '../support/backends';
import { fileToleranceCase, saysInWecom, tapStageCard, textsTo, WECOM_APP } from '../support/casePages';
import { settle } from '../support/chatters/base';
import { WebClient } from '../support/webClient';
import { openWebStack, type WebStack } from '../support/webStack';

const DINGTALK_APP = 'Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 AliApp(DingTalk/7.5.0) DingTalk/7.5.0';
const stacks = databaseBackends.map((database, i) => [database, stateBackends[Math.min(i, stateBackends.length - 1)]] as const);

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
  body: new URLSearchParams(fields).toString(),
});
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/**
 * The case page behind every card: opened from WeCom (silent 网页授权, back to the page), a
 * decision typed on it is the card's own command, and whoever has no business with the case is
 * refused and written down.
 */
describe.each(stacks)('the case page /m/cases/:number (%s, %s)', (database, stateBackend) => {
  let stack: WebStack;
  let filed: Awaited<ReturnType<typeof fileToleranceCase>>;
  beforeAll(async () => {
    stack = await openWebStack(database, stateBackend, { WEB_SIGNIN_ATTEMPTS: '1000' });
    filed = await fileToleranceCase(stack);
  });
  afterAll(async () => stack?.close());

  const stageRow = async () => (await selectOpened<Record<string, unknown>>(stack.db, 'case_stages', 'SELECT status, decision, opinion FROM case_stages WHERE id = ?', [filed.stageId]))[0];
  const refusals = async () => (await stack.db.query(`SELECT actor_id, subject FROM audit_log WHERE action = 'case.view.refused' ORDER BY id`)) as { actor_id: number; subject: string }[];

  async function openInWecom(userid: string): Promise<{ client: WebClient; response: Response; hops: string[] }> {
    stack.wecom.device = { userid };
    const client = new WebClient(stack.url);
    // The in-app browser sends its user agent on every hop; the client here only on the first of each follow.
    const first = await client.request(`/m/cases/${filed.number}`, { headers: { 'user-agent': WECOM_APP } });
    const { hops, response } = await client.follow(first.headers.get('location')!, { headers: { 'user-agent': WECOM_APP } });
    return { client, response, hops: [`${first.status} /m/cases/${filed.number}`, ...hops.map((h) => `${h.status} ${new URL(h.url).pathname}`)] };
  }

  it('inside WeCom, opens through 网页授权 and comes back to the case, showing the form, the files and 刘洋’s turn', async () => {
    const { response, hops } = await openInWecom('liuyang');
    expect(hops).toEqual([
      `302 /m/cases/${filed.number}`, '302 /login', '302 /auth/wecom/start', '302 /connect/oauth2/authorize', '302 /auth/wecom/callback', `200 /m/cases/${filed.number}`,
    ]);
    const html = await response.text();
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(html).toContain('附件1 临港开发区容错免责审批表');
    expect(html).toContain('2026年8月在推进滨江项目征地时');
    expect(html).toContain('申请容错情形（《容错细则》第五条）');
    expect(html).toContain('申请材料：补偿协议.pdf');
    expect(html).toContain('待您办理：所在单位党组织意见');
    expect(html).toMatch(/<summary class="btn primary">同意<\/summary>/);
    expect(html).toContain('等待 刘洋 办理');
    expect(html).toContain(`/m/cases/${filed.number}/documents/form/pdf`);
  });

  it('refuses a short opinion and changes nothing; then records the decision, greys the card, and the card’s own click is a no-op that says so', async () => {
    const { client, response } = await openInWecom('liuyang');
    const csrf = csrfOf(await response.text());
    const decide = (fields: Record<string, string>) => client.request(`/m/cases/${filed.number}/decide`, form({ csrf, stage: String(filed.stageId), ...fields }));

    const short = await decide({ op: 'approve', opinion: '好' });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain('内容太短了，请至少写 2 个字。');
    const forged = await decide({ csrf: 'x'.repeat(43), op: 'approve', opinion: '情况属实，同意报纪工委调查核实。' });
    expect(forged.status).toBe(403);
    expect(await stageRow()).toMatchObject({ status: 'pending', decision: null });

    const updatesBefore = stack.wecom.cardUpdates().length;
    const done = await decide({ op: 'approve', opinion: '情况属实，同意报纪工委调查核实。' });
    expect(done.status).toBe(200);
    const page = await done.text();
    expect(page).toContain('已记录您的意见：同意（' + filed.number + '，所在单位党组织意见）。');
    expect(page).not.toContain('待您办理');
    expect(page).toContain('情况属实，同意报纪工委调查核实。');
    expect(await stageRow()).toMatchObject({ status: 'decided', decision: 'approve', opinion: '情况属实，同意报纪工委调查核实。' });
    await settle(stack.bot);
    const greyed = stack.wecom.cardUpdates().slice(updatesBefore).filter((u) => (u.userids as string[]).includes('liuyang'));
    expect(greyed.map((u) => (u.button as { replace_name: string }).replace_name)).toContainEqual(expect.stringMatching(/^已同意 · 刘洋 · \d+月\d+日$/));
    const audit = (await stack.db.query(`SELECT channel FROM audit_log WHERE action = 'stage.approve'`)) as { channel: string }[];
    expect(audit.map((a) => a.channel)).toEqual(['web']);

    await tapStageCard(stack, 'liuyang', filed.stageId, 'approve');
    expect(textsTo(stack, 'liuyang').at(-1)).toMatch(new RegExp(`^${filed.number} 的这一环节已处理（已同意 · 刘洋 · \\d+月\\d+日），无需重复操作。$`));
    const again = await decide({ op: 'reject', opinion: '不同意。' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('无需重复操作');
    expect(await stageRow()).toMatchObject({ status: 'decided', decision: 'approve' });
    expect(Number((await stack.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'stage.%'`))[0].n)).toBe(1);
  });

  it('the card first: 刘洋 decides in chat, and the page’s form, opened before, then says it was handled and changes nothing', async () => {
    const second = await fileToleranceCase(stack, 'draft-page-2');
    const saved = filed;
    filed = second;
    try {
      const { client, response } = await openInWecom('liuyang');
      const html = await response.text();
      expect(html).toContain('待您办理：所在单位党组织意见');
      await tapStageCard(stack, 'liuyang', second.stageId, 'reject');
      await saysInWecom(stack, 'liuyang', '材料不全，不同意。');
      await saysInWecom(stack, 'liuyang', '提交');
      expect(textsTo(stack, 'liuyang').at(-1)).toContain('已记录您的意见：不同意');
      const late = await client.request(`/m/cases/${second.number}/decide`, form({ csrf: csrfOf(html), stage: String(second.stageId), op: 'approve', opinion: '情况属实，同意。' }));
      expect(late.status).toBe(409);
      expect(await late.text()).toMatch(new RegExp(`${second.number} 的这一环节已处理（不同意 · 刘洋 · \\d+月\\d+日），无需重复操作。`));
      const [row] = await selectOpened<Record<string, unknown>>(stack.db, 'case_stages', 'SELECT decision, opinion FROM case_stages WHERE id = ?', [second.stageId]);
      expect(row).toEqual({ decision: 'reject', opinion: '材料不全，不同意。' });
    } finally {
      filed = saved;
    }
  });

  it('lets the 纪工委 and 党群工作部 read it without buttons, and refuses 王芳 of the same bureau, audited', async () => {
    const discipline = await openInWecom('wuhaiyan');
    const html = await discipline.response.text();
    expect(discipline.response.status).toBe(200);
    expect(html).toContain('纪（工）委意见');
    expect(html).toContain('待您办理'); // 吴海燕 holds the next stage now
    const admin = await openInWecom('wangfang01');
    expect(admin.response.status).toBe(200);
    expect(await admin.response.text()).not.toContain('待您办理');

    const outsider = await openInWecom('wangfang02');
    expect(outsider.response.status).toBe(403);
    expect(await outsider.response.text()).toContain(`您无权查看 ${filed.number}。申请材料仅向申请人、审批人、所在区域的纪（工）委和党群工作部开放`);
    const refused = await refusals();
    const wangFang = (await stack.bot.roster.personByCode('P013'))!;
    expect(refused.at(-1)).toMatchObject({ actor_id: wangFang.id, subject: `case:${filed.caseId}` });
    // Refused means refused for the documents too: no link is issued.
    expect((await outsider.client.request(`/m/cases/${filed.number}/documents/form/pdf`)).status).toBe(403);
    expect(await refusals()).toHaveLength(refused.length + 1);
  });

  it('in the DingTalk workbench: 免登 brings 吴海燕 back to the case', async () => {
    stack.dingtalk.device = { userid: '0167200004' };
    const client = new WebClient(stack.url);
    const first = await client.request(`/m/cases/${filed.number}`, { headers: { 'user-agent': DINGTALK_APP } });
    const { hops, response } = await client.follow(first.headers.get('location')!, { headers: { 'user-agent': DINGTALK_APP } });
    expect(new URL(hops.at(-1)!.url).pathname).toBe('/auth/dingtalk/jsapi');
    // The test plays the workbench: dd.getAuthCode's code, posted by the 免登 page's script.
    const state = /data-state="([^"]+)"/.exec(await response.text())![1];
    const answer = await client.request('/auth/dingtalk/jsapi', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: stack.dingtalk.issueCode(), state }) });
    expect(await answer.json()).toEqual({ next: `/m/cases/${filed.number}` });
    const page = await client.request(`/m/cases/${filed.number}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('吴海燕');
  });

  it('opens the form through an expiring link, and answers an unknown number or a stranger path plainly', async () => {
    const { client } = await openInWecom('liuyang');
    const link = await client.request(`/m/cases/${filed.number}/documents/form/docx`);
    expect(link.status).toBe(302);
    expect(link.headers.get('location')).toMatch(new RegExp(`^${stack.url}/documents/[A-Za-z0-9_-]{43}$`));
    const file = await client.request(link.headers.get('location')!);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain(encodeURIComponent('容错免责审批表'));
    expect((await client.request(`/m/cases/${filed.number}/documents/secret/docx`)).status).toBe(404);
    const missing = await client.request('/m/cases/RC2026-9999');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('没有找到编号为 RC2026-9999 的申请');
    const anonymous = await new WebClient(stack.url).request(`/m/cases/${filed.number}`);
    expect(anonymous.headers.get('location')).toBe(`/login?next=${encodeURIComponent(`/m/cases/${filed.number}`)}`);
  });

  it('shows the applicant the 六看 of the finding in full, with the verdict and the outcomes it proposes', async () => {
    const wuHaiyan = (await stack.bot.roster.personByCode('P009'))!;
    const [stage] = (await stack.db.query(`SELECT id FROM case_stages WHERE case_id = ? AND status = 'pending'`, [filed.caseId])) as { id: number }[];
    const criteria = SIX_LOOKS.map((l, i) => ({ key: l.key, title: l.title, finding: `第${i + 1}项核实情况：属于探索创新中的失误，出于公心，未谋取私利。` }));
    await stack.bot.services.workflow.decide({ stageId: Number(stage.id), actor: wuHaiyan, channel: 'test', entry: { kind: 'finding', verdict: 'grant', opinion: '经调查核实，建议予以容错免责。', outcomes: [0, 2], criteria } });
    const applicant = new WebClient(stack.url, stack.adminUrl);
    expect((await applicant.devSignIn('P014', `/m/cases/${filed.number}`)).headers.get('location')).toBe(`/m/cases/${filed.number}`);
    const html = await (await applicant.request(`/m/cases/${filed.number}`)).text();
    expect(html).toContain('<h2 id="find-h">调查核实情况（《容错细则》第四条“六看”）与结论</h2>');
    for (const c of criteria) expect(html).toContain(`<dt>${c.title}</dt><dd><p>${c.finding}</p></dd>`);
    expect(html).toContain('<strong>认定意见：</strong>予以容错免责，作《容错细则》第七条（一）（三）处理');
    expect(html).not.toContain('待您办理');
  });
});
