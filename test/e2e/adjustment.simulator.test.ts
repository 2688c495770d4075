import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importSampleLedger } from '../../src/domain/assessment/sampleLedger';
import { ANALYSIS_SHEETS } from '../../src/documents/corpsAnalysis';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat, type Chatter } from '../support/chat';

/**
 * 考核 in, 能上能下 out, over the chat simulator: the sample ledger is imported, 组织人事部门
 * gets the 第八条 cards, takes 韩雪's case from the card through 考察核实 → 谈话, and the offices
 * ask about cadres and lists.
 */
describe.each(databaseBackends.map((database, i) => ({ database, state: stateBackends[Math.min(i, stateBackends.length - 1)] })))(
  '考核 → 激励 and 能上能下 in chat ($database.name, $state.name)',
  ({ database, state }) => {
    let chat: Chat;
    let qian: Chatter;

    const settle = async () => {
      while ((await chat.bot.scheduler.runDue()) > 0);
      await chat.bot.outbox.dispatchDue();
    };
    const audit = async (action: string) =>
      (await chat.db.query('SELECT a.action, p.code FROM audit_log a JOIN people p ON p.id = a.actor_id WHERE a.action LIKE ? ORDER BY a.id', [action])).map(
        (r: { action: string; code: string }) => `${r.code} ${r.action}`,
      );
    const cardTitled = (who: Chatter, title: string) => who.transcript().find((m) => m.card?.title === title)!.card!;

    beforeEach(async () => {
      chat = await openChat(database, state);
      await importSampleLedger(chat.db, chat.clock);
      await settle();
      qian = chat.as('P007');
    });
    afterEach(async () => chat.close());

    it('when 组织人事部门 opens 韩雪’s case from her 第八条（三） card, then it runs 考察核实 → 提出建议 → 组织决定 → 谈话', async () => {
      const card = cardTitled(qian, '能上能下预警：第八条（三） 韩雪');
      // The rule and the data come in full in the message before the card.
      expect(qian.transcript().some((m) => m.text?.startsWith('【能上能下预警：第八条（三） 韩雪】') && m.text.includes('数据：2026 年度民主测评不称职得票 34%，超过三分之一。'))).toBe(true);
      expect(qian.transcript().some((m) => m.card?.title.includes('朱婷'))).toBe(false);

      expect((await qian.says('我的待办')).text).toContain('· 能上能下预警待处理：2025 年 1 条、2026 年 6 条（《能上能下办法》第八条），发送“能上能下预警 2026”查看');
      const opening = await qian.tapsOn(card.cardId, card.buttons[0].key);
      expect(opening.text).toContain('好的，就这条预警立案（《能上能下办法》第八条（三）：在干部年度考核中，民主测评的不称职得票率超过三分之一的');
      expect(opening.text).toContain('是否属于因健康原因调整，或涉及问责追责、违纪违法？');
      const summary = await qian.says('都不是');
      expect(summary.text).toContain('干部：韩雪');
      const opened = await qian.taps('提交');
      expect(opened.text).toContain('已立案 TZ2026-0001：韩雪，《能上能下办法》第八条（三）。下一步：考察核实');
      // The other officer's copy of the card is greyed out; a second tap on it says why.
      expect((await chat.as('P008').tapsOn(card.cardId, card.buttons[0].key)).text).toContain('这条预警已经立案');

      // The case is 钱志刚's to take through its stages, each a card of its own; 韩雪 is told nothing of it.
      expect((await qian.says('我的待办')).text).toContain('TZ2026-0001 组织调整：待您办理“考察核实”（干部 韩雪，已等待 0 天；请在卡片上操作）');
      expect(qian.lastCard()!.title).toBe('组织调整待您审批：考察核实');
      // No 退回补充: there is no applicant to ask.
      expect(qian.lastCard()!.buttons.map((b) => b.label)).toEqual(['填写考察核实']);
      await qian.taps('填写考察核实');
      await qian.says('个别谈话 12 人，查阅 2026 年度民主测评材料。');
      await qian.says('1');
      expect((await qian.taps('提交')).text).toContain('已记录您的认定：情况属实（TZ2026-0001，考察核实）。');

      await qian.taps('填写提出建议');
      await qian.says('免职');
      await qian.says('1');
      await qian.says('民主测评不称职票超过三分之一，经考察不适宜担任现职，建议免职。');
      expect((await qian.taps('提交')).text).toContain('建议：予以调整，免职。');

      const decision = await qian.taps('填写组织决定');
      expect(decision.text).toContain('建议为：予以调整，免职。');
      await qian.says('1');
      await qian.says('2026-12-01');
      await qian.says('利港街道党工委会议 2026年第20次');
      await qian.says('是');
      await qian.says('否');
      const decided = await qian.taps('提交');
      expect(decided.text).toContain('影响期至 2027-11-30（《能上能下办法》第十三条：因不适宜担任现职免职的，一年内不得提拔）。');
      await chat.bot.outbox.dispatchDue();
      const talkCard = chat.as('P021').lastCard()!;
      expect(talkCard.title).toBe('被调整干部谈心谈话：韩雪');
      expect(talkCard.description).toContain('按本区设定，请您每季度与其谈心谈话一次，至 2027-11-30');

      await qian.taps('填写谈话');
      await qian.says('今天');
      await qian.says('郭志明');
      expect((await qian.says('宣布免职决定，本人表示服从组织安排。')).text).toContain('谈话人：郭志明');
      expect((await qian.taps('提交')).text).toContain('程序已完成（《能上能下办法》第十二条）。');
      const view = await qian.says('查看调整 TZ2026-0001');
      expect(view.text).toContain('TZ2026-0001 组织调整 · 经组织决定予以调整');
      expect(view.text).toContain('谈话 · 钱志刚 · 2026-11-27\n  谈话日期：2026-11-27；谈话人：郭志明。宣布免职决定，本人表示服从组织安排。');
      expect(view.text).toContain('2026-12-01 免职，影响期至 2027-11-30（《能上能下办法》第十三条：一年内不得提拔）。');
      expect(chat.as('P027').transcript()).toEqual([]);
      // 韩雪 may not read her case: not in chat, not by 催办.
      expect((await chat.as('P027').says('进度 TZ2026-0001')).text).toBe('您无权查看 TZ2026-0001 的办理情况。');
      expect((await chat.as('P027').says('催办 TZ2026-0001')).text).toBe('没有找到这项申请。');
    });

    it('when 组织人事部门 opens a case by hand under 第九条 for what is a health matter, then 第五条 stops it', async () => {
      expect((await qian.says('立案调整')).text).toContain('请输入拟调整干部的姓名');
      const articles = await qian.says('唐伟');
      expect(articles.text).toContain('依据《能上能下办法》哪一条？');
      expect(articles.cards[0].buttons.map((b) => b.label)).toEqual(['第七条 政治表现', '第八条 考核结果', '第九条 担当作为', '第十条 履行全面从严治党责任', '第十一条 领导能力、专业素养']);
      const items = await qian.says('第九条 担当作为');
      expect(items.text).toContain('属于第九条的哪一项？');
      expect(items.text).toContain('5. （五）履行安全生产责任不力，导致本地区本单位本条线发生重大安全生产责任事故，或造成严重影响的安全生产责任事故的');
      await qian.says('5');
      await qian.says('城建科分管的工地发生安全生产责任事故，经组织认定。');
      const help = await qian.says('帮助');
      expect(help.text).toContain('依据：《能上能下办法》第五条：“对因健康原因调整以及涉及问责追责和违纪违法的，按照有关规定办理”。');
      await qian.says('因健康原因调整');
      const receipt = await qian.taps('提交');
      expect(receipt.text).toBe(
        '已登记 TZ2026-0001（唐伟，《能上能下办法》第九条（五））。因健康原因调整：《能上能下办法》第五条：“对因健康原因调整以及涉及问责追责和违纪违法的，按照有关规定办理”。本案不按本办法的调整程序办理，已记录并终止。',
      );
      expect(receipt.cards).toEqual([]);
      const [stopped] = await chat.bot.services.cases.list({ kind: 'adjustment' });
      expect([stopped.status, stopped.outcome?.verdict, stopped.form.article, stopped.form.item]).toEqual(['rejected', 'health', 9, 5]);
      expect(await chat.bot.services.cases.stages(stopped.id)).toEqual([]);
    });

    it('when the offices and leaders ask 干部情况, then they get the history, the rules’ results and the period; others are refused; all audited', async () => {
      const profile = await chat.as('P005').says('干部情况 徐敏');
      expect(profile.text).toContain('【干部情况】徐敏（经济发展局综合科 综合科科员，事业）');
      expect(profile.text).toContain('  2024 年度：优秀；民主测评不称职得票 1/32 票（3.1%）');
      expect(profile.text).toContain('  · 2024、2025、2026 年度考核均为优秀（《激励办法》第九条（三））：优先推荐或考虑提拔使用（2026 年名单待党群工作部确认）');
      expect(profile.text).toContain('  · 2024、2025、2026 年度考核均为优秀（《激励办法》第十一条（五））：健康休养，不超过7天（按工作日计算，不计入年休假假期）；2027 年还可休 7 个工作日');
      expect(profile.text).toContain('四、容错免责（《容错细则》第十一条：“对给予容错的干部，考核考察要客观评价，选拔任用要公正合理”）');

      expect((await chat.as('P012').says('干部情况 徐敏')).text).toContain('【干部情况】徐敏'); // her bureau's head
      expect((await chat.as('P018').says('干部情况 徐敏')).text).toBe('干部情况只向组织人事部门、党群工作部和该干部的上级领导提供。');
      expect((await chat.as('P015').says('干部情况 徐敏')).text).toContain('只向组织人事部门');
      expect((await chat.as('P005').says('干部情况 王芳')).text).toContain('名册中有 2 位王芳：P005（党群工作部 党群工作部部长）、P013（经济发展局 经济发展局副局长）');
      expect(await audit('cadre.profile.%')).toEqual(['P005 cadre.profile.read', 'P012 cadre.profile.read', 'P018 cadre.profile.refused', 'P015 cadre.profile.refused']);
    });

    it('answers 能上能下预警, 健康休养名单 and 优胜单位 for the offices, and 党群工作部 confirms a list from its card', async () => {
      const warnings = await qian.says('能上能下预警 2026');
      expect(warnings.text).toContain('· 第八条（三） 韩雪（利港街道城建科）：2026 年度民主测评不称职得票 34%，超过三分之一；建议上级调整或予以调整（按干部管理权限）。【待处理】');
      expect(warnings.text).toContain('· 第八条（五） 高翔（规划建设局）：');
      expect((await chat.as('P039').says('能上能下预警 2026')).text).toBe('能上能下预警只向组织人事部门和党群工作部提供。');

      const wangFang = chat.as('P005');
      const retreat = await wangFang.says('健康休养名单 2027');
      expect(retreat.text).toContain('【2027 年健康休养名单】（系统测算的建议名单，待党群工作部确认）');
      expect(retreat.text).toContain('1. 徐敏（经济发展局综合科）：2024、2025、2026 年度考核均为优秀（《激励办法》第十一条（五））');
      expect((await wangFang.taps('确认名单')).text).toContain('已确认2027 年健康休养名单（共 1 人）。');
      expect((await wangFang.says('健康休养名单 2027')).text).toContain('已由王芳于 2026-11-27 确认');
      // 组织人事部门 may read the list but not confirm it: no button.
      expect((await qian.says('健康休养名单 2027')).cards).toEqual([]);

      const winners = await qian.says('优胜单位 2026');
      expect(winners.text).toContain('1. 利港街道：2026 年度一体化绩效考核镇街园第 1 名');
      expect(await audit('incentive.%')).toEqual([
        'P005 incentive.list.read', 'P005 incentive.confirmed', 'P005 incentive.list.read', 'P007 incentive.list.read', 'P007 incentive.list.read',
      ]);
    });

    it('answers nonsense, stale and forged buttons politely and changes nothing', async () => {
      const tables = async () => Promise.all(['cases', 'case_stages', 'adjustment_triggers', 'incentive_lists', 'health_retreats'].map((t) => chat.db.query(`SELECT * FROM ${t} ORDER BY id`)));
      const before = await tables();
      expect((await qian.says('干部情况 不存在的人')).text).toBe('名册中没有找到“不存在的人”。');
      expect((await qian.says('能上能下预警 1999')).text).toBe('“1999”不是可查询的年度（2000 年至 2027 年）。');
      expect((await qian.says('查看调整 TZ2026-9999')).text).toBe('没有找到编号为 TZ2026-9999 的调整案件。');
      // The stage cards of the release before the workflow are answered, and point to where the stage is now.
      expect((await qian.tapsOn('adj-1-inspection', 'adj:1:inspection')).text).toBe('这张卡片已失效：组织调整已改在各环节的办理卡片上办理。请发送“我的待办”查看待您办理的环节，或发送“查看调整 编号”。');
      expect((await qian.tapsOn('adj-trg-x', 'adjt:abc:open')).text).toBe('这个按钮已失效。');
      expect((await qian.tapsOn('adj-trg-x', 'adjt:99999:open')).text).toBe('没有找到这条预警。');
      expect((await chat.as('P005').tapsOn('incl-x', 'incl:bogus:2026:x')).text).toBe('这个按钮已失效。');
      expect((await chat.as('P005').tapsOn('incl-x', 'incl:priority:2026:000000000000')).text).toContain('已因考核数据变化而不同');
      expect((await chat.as('P039').tapsOn('incl-x', 'incl:priority:2026:000000000000')).text).toContain('由党群工作部确认');
      // A trigger card tapped by someone who is not 组织人事部门: refused and written down.
      const card = cardTitled(qian, '能上能下预警：第八条（三） 韩雪');
      expect((await chat.as('P012').tapsOn(card.cardId, card.buttons[0].key)).text).toBe('能上能下预警由组织人事部门处理。');
      expect(await tables()).toEqual(before);
      expect(await audit('%.refused')).toEqual(['P039 incentive.confirm.refused', 'P012 adjustment.trigger.refused']);
    });

    it('gives 组织人事部门 the 干部队伍综合分析 workbook of the year by link (第十六条)', async () => {
      const answer = await qian.says('综合分析 2026');
      const link = /\]\((\S+)\)/.exec(answer.messages.at(-1)!.markdown!)![1];
      const res = await fetch(`${chat.url}${new URL(link).pathname}`);
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual([...ANALYSIS_SHEETS]);
      const warnings = wb.getWorksheet('能上能下预警')!;
      const rows = warnings.getSheetValues().slice(3).map((r) => (r as unknown[]).slice(1, 3));
      expect(rows).toContainEqual(['第八条（三）', '韩雪']);
      expect((await chat.as('P039').says('综合分析 2026')).text).toContain('只向组织人事部门和党群工作部提供');
    });
  },
);
