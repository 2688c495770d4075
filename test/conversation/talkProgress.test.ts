import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat } from '../support/chat';
import { fillToSummary } from '../support/talkDialogue';

const SUMMARY = '交流了综合科年度工作总结的安排和个人思想状况。';

describe.each(databaseBackends.map((database, i) => ({ database, state: stateBackends[Math.min(i, stateBackends.length - 1)] })))(
  '谈心谈话 progress, reminders and confidentiality over the simulator ($database.name, $state.name)',
  ({ database, state }) => {
    let chat: Chat;

    beforeEach(async () => {
      chat = await openChat(database, state);
    });
    afterEach(async () => chat.close());

    const logTalkWithYangFan = async () => {
      await fillToSummary(chat.as('P012'));
      return chat.as('P012').taps('提交');
    };
    const audit = async () => (await chat.db.query('SELECT action, actor_id FROM audit_log ORDER BY id')).map((r: { action: string }) => r.action);

    it('when a bureau head asks for their progress and then logs a talk, then both say who is still owed', async () => {
      const before = await chat.as('P012').says('我的谈话进度');
      expect(before.text).toContain('【我的谈话进度】2026年，截至11月27日');
      expect(before.text).toContain('依据《激励办法》第十一条（四）：本年度应谈 3 人，已谈 0 人，还差：王芳、杨帆、马骏。');

      const receipt = await logTalkWithYangFan();
      expect(receipt.text).toContain('谈话进度（依据《激励办法》第十一条（四））：本年度应谈 3 人，已谈 1 人，还差：王芳、马骏。');
      const after = await chat.as('P012').says('我的谈话进度');
      expect(after.text).toContain('已谈：杨帆。');
      expect(after.text).not.toContain(SUMMARY);
    });

    it('when 党群工作部 asks for the zone-wide progress, then it comes by unit and by leader, and others are refused', async () => {
      await logTalkWithYangFan();
      const summary = await chat.as('P005').says('谈话进度汇总');
      expect(summary.text).toContain('全区：应谈 53 人次，已谈 1，未谈 52，完成率 2%。');
      expect(summary.text).toContain('· 经济发展局：应谈 9，已谈 1，未谈 8（11%）');
      expect(summary.text).toContain('· 周志强（临港开发区）：应谈 16 人，已谈 0 人，还差 16 人');
      expect(summary.text).not.toContain(SUMMARY);
      expect((await chat.as('P012').says('谈话进度汇总')).text).toContain('谈话进度汇总只向党群工作部提供');
    });

    it('when a reminder card arrives, then one tap on a name starts logging with that person filled in', async () => {
      await chat.bot.scheduler.runDue();
      chat.clock.set(new Date('2026-11-30T01:00:00Z'));
      while ((await chat.bot.scheduler.runDue()) > 0);
      await chat.bot.outbox.dispatchDue();
      const card = chat.as('P012').lastCard()!;
      expect(card.title).toBe('谈心谈话每周提醒（第四季度）');
      expect(card.buttons.map((b) => b.label)).toEqual(['记录 王芳', '记录 杨帆', '记录 马骏']);

      const started = await chat.as('P012').taps('记录 杨帆');
      expect(started.text).toContain('哪天谈的？');
      await chat.as('P012').says('今天');
      await chat.as('P012').says('局长办公室');
      await chat.as('P012').says('1');
      await chat.as('P012').says(SUMMARY);
      await chat.as('P012').says('跳过');
      const confirm = await chat.as('P012').says('跳过');
      expect(confirm.text).toContain('1. 谈话对象：杨帆');
      expect(confirm.text).toContain('4. 谈话类型：年度谈心谈话');
      expect((await chat.as('P012').taps('提交')).text).toContain('已谈 1 人，还差：王芳、马骏。');
    });

    it('when someone asks to read a talk, then only the talker, the talkee’s leaders and 党群工作部 see its content', async () => {
      const receipt = await logTalkWithYangFan();
      const number = /TH2026-\d{5}/.exec(receipt.text)![0];
      const reads = async (code: string) => (await chat.as(code).says(`查看谈话 ${number}`)).text;

      expect(await reads('P012')).toContain(`内容摘要：${SUMMARY}`); // the talker
      expect(await reads('P002')).toContain(SUMMARY); // 分管领导 of 经济发展局, above 综合科
      expect(await reads('P005')).toContain(SUMMARY); // 党群工作部
      for (const code of ['P013', 'P014', 'P018']) {
        // 班子成员 of the bureau, the talkee himself, another bureau's head.
        const refused = await reads(code);
        expect(refused).toContain(`您无权查看 ${number} 的内容。谈心谈话内容保密`);
        expect(refused).not.toContain(SUMMARY);
      }
      expect((await audit()).filter((a: string) => a.startsWith('talk.read'))).toEqual([
        'talk.read', 'talk.read', 'talk.read', 'talk.read.refused', 'talk.read.refused', 'talk.read.refused',
      ]);
    });

    it('when 组织人事部门 decides a 免职, then the cadre’s party secretary is told to talk with them regularly, each quarter by the zone’s setting', async () => {
      expect((await chat.as('P012').says('登记干部调整')).text).toContain('组织调整由组织人事部门立案办理');
      const personnel = chat.as('P007');
      expect((await personnel.says('登记干部调整')).text).toContain('请输入拟调整干部的姓名');
      await personnel.says('取消');

      // The case's stages are the adjustment stories' (test/e2e/adjustment.simulator.test.ts); here they are recorded directly.
      const actor = (await chat.bot.roster.personByCode('P007'))!;
      const xuMin = (await chat.bot.roster.personByCode('P015'))!;
      const { adjustment, cases } = chat.bot.services;
      const { record } = await adjustment.open({ draftKey: 'd0', personId: xuMin.id, article: 11, item: null, facts: '专业素养不适应岗位要求，经组织认定。', triggerId: null, carveOut: null, actor, channel: 'test' });
      const waiting = async () => (await cases.stages(record.id)).find((s) => s.status === 'pending')!.id;
      await adjustment.inspect(await waiting(), actor, { verdict: 'confirmed', summary: '个别谈话，查阅材料。' }, 'test');
      await adjustment.propose(await waiting(), actor, { way: '免职', authority: 'adjust', opinion: '建议免职。' }, 'test');
      await adjustment.decide(await waiting(), actor, { adjust: true, way: '免职', effectiveOn: '2026-11-20', decidedBy: '党工委会议', unsuitable: true, earlyRetirement: false }, 'test');
      await chat.bot.outbox.dispatchDue();

      const card = chat.as('P012').lastCard()!;
      expect(card.title).toBe('被调整干部谈心谈话：徐敏');
      expect((await chat.as('P012').taps('记录 徐敏')).text).toContain('哪天谈的？');
      await chat.as('P012').says('取消');
      expect((await chat.as('P012').says('我的谈话进度')).text).toContain(
        '被调整干部 徐敏：定期谈心谈话（依据《能上能下办法》第十四条），本区设定每季度一次，本期 11月20日—2月19日尚未谈话。',
      );
    });
  },
);
