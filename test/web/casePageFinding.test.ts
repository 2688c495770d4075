import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIX_LOOKS } from '../../src/domain/tolerance/policy';
import { databaseBackends, stateBackends } from '../support/backends';
import { fileToleranceCase, tapStageCard, textsTo } from '../support/casePages';
import { settle } from '../support/chatters/base';
import { WebClient } from '../support/webClient';
import { openWebStack, type WebStack } from '../support/webStack';

const stacks = databaseBackends.map((database, i) => [database, stateBackends[Math.min(i, stateBackends.length - 1)]] as const);
const post = (fields: [string, string][]) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
  body: new URLSearchParams(fields).toString(),
});
const csrfOf = (html: string) => /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
const looks = (text: (i: number) => string): [string, string][] => SIX_LOOKS.map((l, i) => [l.key, text(i)]);

/**
 * The 纪工委's 调查核实 on the case page: 杨帆's request, agreed by 刘洋, waits on 吴海燕's finding.
 * The page's form holds the 六看, the conclusion and the proposed 第七条 outcomes, and is the same
 * command as the card's “开始认定” dialogue: checked the same way, nothing kept when wrong, the card
 * greyed once it is recorded, and the card's own click a no-op afterwards.
 */
describe.each(stacks)('a 六看 finding on the case page (%s, %s)', (database, stateBackend) => {
  let stack: WebStack;
  let filed: Awaited<ReturnType<typeof fileToleranceCase>>;
  let client: WebClient;
  let findingStage: number;

  beforeAll(async () => {
    stack = await openWebStack(database, stateBackend, { WEB_SIGNIN_ATTEMPTS: '1000' });
    filed = await fileToleranceCase(stack, 'draft-finding-1');
    const liuyang = (await stack.bot.roster.personByCode('P012'))!;
    await stack.bot.services.workflow.decide({ stageId: filed.stageId, actor: liuyang, channel: 'test', entry: { kind: 'opinion', stance: 'agree', opinion: '情况属实，同意。' } });
    await settle(stack.bot);
    [findingStage] = ((await stack.db.query(`SELECT id FROM case_stages WHERE case_id = ? AND status = 'pending'`, [filed.caseId])) as { id: number }[]).map((r) => Number(r.id));
    client = new WebClient(stack.url, stack.adminUrl);
    await client.devSignIn('P009', `/m/cases/${filed.number}`);
  });
  afterAll(async () => stack?.close());

  const page = async () => (await client.request(`/m/cases/${filed.number}`)).text();
  const decide = async (fields: [string, string][]) =>
    client.request(`/m/cases/${filed.number}/decide`, post([['csrf', csrfOf(await page())], ['stage', String(findingStage)], ['op', 'decide'], ...fields]));
  const stage = async () => (await stack.bot.services.cases.stage(findingStage))!;
  const stageLines = async () => Number((await stack.db.query(`SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'stage.%'`))[0].n);

  it('offers the 六看, the conclusion and the 第七条 outcomes as one form, where the card has “开始核实”', async () => {
    const html = await page();
    expect(html).toContain('待您办理');
    for (const l of SIX_LOOKS) expect(html).toContain(`<label for="decide-${l.key}">${l.title}</label>`);
    expect(html).toContain('<legend>结论</legend>');
    expect(html).toMatch(/<input type="radio" name="conclusion" value="1"> 予以容错免责<\/label>/);
    expect(html).toContain('<legend>处理方式<span class="when">（视所选结论填写）</span></legend>');
    expect(html).toContain('<input type="checkbox" name="outcomes" value="3"> （三）在开发区一体化绩效考核中免予或减少扣分</label>');
    expect(html).toContain('<summary class="btn primary">开始核实</summary>');
    expect(html).toContain('>提交核实情况和认定意见</button>');
    expect(html).not.toContain('需要逐项填写');
  });

  it('refuses a form with a short finding, no conclusion or no outcome for a grant, keeps what was typed, and records nothing', async () => {
    const before = await stageLines();
    const short = await decide([...looks((i) => (i === 2 ? '好' : `第${i + 1}项：经核实，出于公心。`)), ['opinion', '建议予以容错免责。']]);
    expect(short.status).toBe(422);
    const html = await short.text();
    expect(html).toContain('内容太短了，请至少写 4 个字。');
    expect(html).toContain('请选择一项。');
    expect(html).toContain('第6项：经核实，出于公心。');
    const noOutcome = await decide([...looks((i) => `第${i + 1}项：经核实，出于公心。`), ['conclusion', '1'], ['opinion', '建议予以容错免责。']]);
    expect(noOutcome.status).toBe(422);
    const again = await noOutcome.text();
    expect(again).toContain('请至少勾选一项。');
    expect(again).toContain('<input type="radio" name="conclusion" value="1" checked>');
    const unknown = await decide([...looks((i) => `第${i + 1}项：经核实，出于公心。`), ['conclusion', '9'], ['opinion', '建议予以容错免责。']]);
    expect(unknown.status).toBe(422);
    expect(await unknown.text()).toContain('没有第 9 项');
    expect(await stage()).toMatchObject({ status: 'pending', entry: null });
    expect(await stageLines()).toBe(before);
  });

  it('records the finding as the card’s dialogue would, greys the card, and the card’s click then says it was handled', async () => {
    // The form as it was opened before the decision: its token is the session's, its stage now decided.
    const csrf = csrfOf(await page());
    const updatesBefore = stack.wecom.cardUpdates().length;
    const done = await decide([...looks((i) => `第${i + 1}项：属于探索创新中的失误，出于公心。`), ['conclusion', '1'], ['outcomes', '1'], ['outcomes', '3'], ['opinion', '经调查核实，建议予以容错免责。']]);
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).not.toContain('待您办理');
    expect(html).toContain('第4项：属于探索创新中的失误，出于公心。');
    const recorded = await stage();
    expect(recorded.status).toBe('decided');
    expect(recorded.entry).toMatchObject({
      kind: 'finding', verdict: 'grant', outcomes: [0, 2], opinion: '经调查核实，建议予以容错免责。',
      criteria: SIX_LOOKS.map((l, i) => ({ key: l.key, title: l.title, finding: `第${i + 1}项：属于探索创新中的失误，出于公心。` })),
    });
    expect((await stack.db.query(`SELECT channel FROM audit_log WHERE action LIKE 'stage.%' AND subject = ? ORDER BY id DESC LIMIT 1`, [`case:${filed.caseId}`]))[0].channel).toBe('web');
    await settle(stack.bot);
    const greyed = stack.wecom.cardUpdates().slice(updatesBefore).filter((u) => (u.userids as string[]).includes('wuhaiyan'));
    expect(greyed.map((u) => (u.button as { replace_name: string }).replace_name)).toContainEqual(expect.stringMatching(/ · 吴海燕 · \d+月\d+日$/));

    await tapStageCard(stack, 'wuhaiyan', findingStage, 'decide');
    expect(textsTo(stack, 'wuhaiyan').at(-1)).toMatch(new RegExp(`^${filed.number} 的这一环节已处理（.* · 吴海燕 · \\d+月\\d+日），无需重复操作。$`));
    const twice = await client.request(`/m/cases/${filed.number}/decide`, post([['csrf', csrf], ['stage', String(findingStage)], ['op', 'decide'], ...looks(() => '再次提交的核实情况。'), ['conclusion', '3'], ['opinion', '不予容错免责。']]));
    expect(twice.status).toBe(409);
    expect(await twice.text()).toContain('无需重复操作');
    expect((await stage()).entry).toMatchObject({ verdict: 'grant' });
  });
});
