import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat, type Chatter } from '../support/chat';

describe('设置谈话频次 in chat', () => {
  let chat: Chat;
  let wang: Chatter;
  beforeEach(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    wang = chat.as('P005'); // 王芳, 党群工作部
  });
  afterEach(async () => chat.close());

  const rules = () => chat.db.query('SELECT u.code, r.period, r.times FROM talk_quota_rules r JOIN units u ON u.id = r.unit_id ORDER BY r.id');
  const audit = () => chat.db.query(`SELECT actor_id, channel, action, detail FROM audit_log WHERE action LIKE 'talk-quota-rule.%' ORDER BY id`);

  it('党群工作部 has 利港街道 talk twice a quarter; wrong counts are asked again; the change is audited and everyone can read it', async () => {
    const opening = await wang.says('设置谈话频次');
    expect(opening.text).toContain('《激励办法》第十一条（四）规定每年至少谈心谈话1次');
    const period = await wang.says('利港');
    expect(period.cards[0].buttons.map((b) => b.label)).toEqual(['每月', '每季度', '每半年', '每年', '取消本单位规定']);
    expect(period.text).toContain('利港街道现在：每年至少 1 次（未另行规定）。');
    expect((await wang.taps('每季度')).text).toContain('每个周期至少谈几次？');

    expect((await wang.says('零')).text).toContain('请回复 1 到 12 之间的整数');
    expect((await wang.says('5')).text).toContain('每季度 5 次即每年 20 次，多于每月 1 次，请核对');
    const summary = await wang.says('两次');
    expect(summary.text).toContain('1. 单位：利港街道');
    expect(summary.text).toContain('3. 每个周期至少：2');
    expect(await rules()).toEqual([]);

    const receipt = await wang.taps('提交');
    expect(receipt.text).toBe('谈话频次：修改 1 个单位，未变 0 个\n  利港街道（ZJ01）：每年至少 1 次（未另行规定） → 每季度至少 2 次');
    expect(await rules()).toEqual([{ code: 'ZJ01', period: 'quarter', times: 2 }]);
    const [line] = await audit();
    expect(line).toMatchObject({ actor_id: (await chat.bot.roster.personByCode('P005'))!.id, channel: 'simulator', action: 'talk-quota-rule.set' });
    expect(JSON.parse(line.detail)).toEqual({ unit: 'ZJ01', before: null, after: { period: 'quarter', times: 2 }, source: '聊天' });

    // 利港街道's head now owes 宋佳 (党政办) two talks this quarter.
    const progress = await chat.bot.services.quotas.compute(2026, '2026-11-27');
    const [head, clerk] = [(await chat.bot.roster.personByCode('P021'))!.id, (await chat.bot.roster.personByCode('P022'))!.id];
    const owed = progress.obligations.find((o) => o.talkerId === head && o.talkeeId === clerk);
    expect(owed?.slots.at(-1)).toMatchObject({ from: '2026-10-01', to: '2026-12-31', required: 2 });
    expect((await chat.as('P039').says('查看谈话频次')).text).toContain('· 利港街道（ZJ01）：每季度至少 2 次');
  });

  it('取消本单位规定 puts the unit back on the policy’s once a year, without asking for a count', async () => {
    await wang.says('设置谈话频次');
    await wang.says('利港街道');
    await wang.taps('每月');
    await wang.says('1');
    await wang.taps('提交');

    await wang.says('设置谈话频次');
    expect((await wang.says('利港街道')).text).toContain('利港街道现在：每月至少 1 次。');
    const summary = await wang.taps('取消本单位规定');
    expect(summary.text).toContain('请确认谈心谈话频次设置');
    expect(summary.text).not.toContain('每个周期至少');
    expect((await wang.taps('提交')).text).toContain('利港街道（ZJ01）：每月至少 1 次 → 每年至少 1 次（未另行规定）');
    expect(await rules()).toEqual([]);
    expect((await audit()).map((a: { action: string }) => a.action)).toEqual(['talk-quota-rule.set', 'talk-quota-rule.removed']);
    expect((await wang.says('查看谈话频次')).text).toContain('目前没有单位另行规定，全部按每年至少 1 次。');
  });

  it('refuses anyone outside 党群工作部, writes the refusal down, and stores nothing', async () => {
    const liu = chat.as('P012');
    expect((await liu.says('设置谈话频次')).text).toContain('谈心谈话频次由党群工作部设置');
    const [refused] = await chat.db.query(`SELECT subject FROM audit_log WHERE action = 'dialogue.refused' AND actor_id = ?`, [(await chat.bot.roster.personByCode('P012'))!.id]);
    expect(refused).toEqual({ subject: 'dialogue:talkQuotaRule' });
    // An unknown unit is asked again, as is a choice that is not one.
    await wang.says('设置谈话频次');
    expect((await wang.says('火星街道')).text).toContain('名册中没有找到“火星街道”这个单位');
    await wang.says('申港街道');
    expect((await wang.says('每周')).text).toContain('“每周”不是可选项');
    expect(await rules()).toEqual([]);
  });
});
