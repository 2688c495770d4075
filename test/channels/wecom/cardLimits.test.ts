import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WECOM_CARD_LIMITS as L } from '../../../src/channels/wecom/messages';
import { importSampleLedger } from '../../../src/domain/assessment/sampleLedger';
import type { TranscriptEntry } from '../../../src/channels/simulator/transcript';
import { databaseBackends, stateBackends } from '../../support/backends';
import { openChat, type Chat, type Chatter } from '../../support/chat';
import { fileRisk, giveReview } from '../../support/filingDialogue';
import { fillToSummary } from '../../support/talkDialogue';
import { applyForTolerance, decide, investigate, recordAnswer, recordMeeting, recordSubmission, sign } from '../../support/toleranceDialogue';

const chars = (s = '') => Array.from(s).length;

/**
 * Every card the bot sends, as WeCom renders it, drives through the flows that send them: a
 * 容错 request returned, supplied, disagreed with and found again; one through the city path; a
 * filing with its 集体会审; a talk record; the menu; a step the bot could not read three times; a
 * 第八条 trigger taken through an adjustment's four stages to the secretary's 第十四条 card.
 * Then each card of each member is held to what a phone shows whole.
 */
describe('WeCom cards stay within what a phone shows', () => {
  let chat: Chat;
  const everyone: Chatter[] = [];

  beforeAll(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0], { PUBLIC_BASE_URL: 'https://dandang.example.gov.cn' }, 'wecom');
    const [yangFan, liuYang, wuHaiyan, chenJianguo, liMinghua] = ['P014', 'P012', 'P009', 'P001', 'P002'].map((c) => chat.as(c));
    everyone.push(yangFan, liuYang, wuHaiyan, chenJianguo, liMinghua);

    await yangFan.says('菜单');
    await applyForTolerance(yangFan, { integrated: true });
    await decide(liuYang, '退回补充', '请补充街道党工委会议纪要和补偿协议。');
    await yangFan.taps('补充材料');
    await yangFan.says('会议纪要和补偿协议已补充，见附件，协议签订经过了街道党工委会议集体研究。');
    await yangFan.sends('会议纪要.pdf');
    await yangFan.says('完成');
    await yangFan.taps('提交');
    await decide(liuYang, '同意', '情况属实，同意报纪工委调查核实。');
    await investigate(wuHaiyan, '部分容错免责');
    await decide(chenJianguo, '不同意', '提前签约的损失未计算清楚，请重新核实。');
    await investigate(wuHaiyan, '予以容错免责');
    await decide(chenJianguo, '同意', '同意，报开发区党工委。');
    await decide(chenJianguo, '同意', '同意。', '一、二');

    await applyForTolerance(yangFan, { handedDown: true });
    await decide(liuYang, '同意', '同意。');
    await investigate(wuHaiyan, '予以容错免责');
    await recordMeeting(chenJianguo, '予以容错免责');
    await sign(chenJianguo, '同意呈报市纪委监委。');
    await recordSubmission(wuHaiyan, '临港纪〔2026〕17号');
    await recordAnswer(wuHaiyan, '澄纪复〔2026〕10号', '予以容错免责');

    await fileRisk(yangFan, true);
    await decide(liuYang, '同意', '经局党组集体讨论，同意备案。');
    await decide(liMinghua, '同意', '同意。');
    await wuHaiyan.taps('组织集体会审');
    await wuHaiyan.says('钱志刚、胡斌');
    await wuHaiyan.taps('提交');
    for (const code of ['P007', 'P018']) {
      const reviewer = chat.as(code);
      everyone.push(reviewer);
      await giveReview(reviewer, '同意，注意用地手续和补件期限，补件不到位的应及时终止容缺受理。');
    }
    await decide(wuHaiyan, '同意', '会审同意备案。');

    await fillToSummary(liuYang);
    await liuYang.taps('提交');
    await yangFan.says('记录谈话');
    for (let i = 0; i < 3; i++) await yangFan.says('查无此人');

    // 组织调整: the 第八条（三） card, then 考察核实 → 提出建议 → 组织决定 → 谈话.
    const [qian, guo] = ['P007', 'P021'].map((c) => chat.as(c));
    everyone.push(qian, guo);
    await importSampleLedger(chat.db, chat.clock);
    while ((await chat.bot.scheduler.runDue()) > 0);
    await qian.says('我的待办');
    const trigger = qian.transcript().find((m) => m.card?.title === '能上能下预警：第八条（三） 韩雪')!.card!;
    await qian.tapsOn(trigger.cardId, trigger.buttons[0].key);
    await qian.says('都不是');
    await qian.taps('提交');
    await qian.taps('填写考察核实');
    await qian.says('个别谈话 12 人，查阅 2026 年度民主测评材料，听取所在单位党组织意见，民主测评不称职票属实，反映的问题经核实基本属实。');
    await qian.says('1');
    await qian.taps('提交');
    await qian.taps('填写提出建议');
    await qian.says('免职');
    await qian.says('1');
    await qian.says('民主测评不称职票超过三分之一，经考察不适宜担任现职，建议免去现职，另行安排工作。');
    await qian.taps('提交');
    await qian.taps('填写组织决定');
    for (const answer of ['1', '2026-12-01', '利港街道党工委会议 2026年第20次', '是', '否']) await qian.says(answer);
    await qian.taps('提交');
    await qian.says('查看调整 TZ2026-0001');
  }, 600_000);
  afterAll(async () => chat.close());

  const cards = () => everyone.flatMap((who) => who.transcript().map((m, i, all) => ({ who, m, before: all.slice(0, i) })).filter((x) => x.m.card));

  it('sends every kind of card the flows have', () => {
    const titles = new Set(cards().map(({ m }) => m.card!.title.replace(/[A-Z]{2}\d{4}-\d{4}/, 'N')));
    for (const expected of ['待您审批：所在单位党组织意见', '待您审批：开发区党工委意见', '待您办理：党（工）委集体研究', '需要您补充材料', '请确认容错免责申请', '已提交容错免责申请', '请对 N 提出会审意见', '会审意见已齐', '请选择：', '遇到了困难', '能上能下预警：第八条（三）', '组织调整待您审批：考察核实', '组织调整待您办理：提出建议', '组织调整待您审批：组织决定', '组织调整待您办理：谈话', '被调整干部谈心谈话']) {
      expect([...titles].some((t) => t.includes(expected)), expected).toBe(true);
    }
  });

  it('titles and sub-titles fit whole; at most six fields with short keynames; values cut only at a phrase, in full before', () => {
    for (const { who, m, before } of cards()) {
      const card = m.card!;
      const where = `${who.code}: ${card.title}`;
      expect(chars(card.title), where).toBeLessThanOrEqual(L.title);
      expect(card.title.endsWith('…'), where).toBe(false);
      expect(chars(card.description), where).toBeLessThanOrEqual(L.subTitle);
      expect(card.description?.endsWith('…') ?? false, `${where}: ${card.description}`).toBe(false);
      expect(card.fields?.length ?? 0, where).toBeLessThanOrEqual(L.fields);
      for (const f of card.fields ?? []) {
        expect(chars(f.label), where).toBeLessThanOrEqual(L.keyname);
        expect(chars(f.value), where).toBeLessThanOrEqual(L.value);
        if (f.value.endsWith('…')) {
          const kept = f.value.slice(0, -1);
          expect(before.some((e: TranscriptEntry) => e.text?.includes(kept)), `${where}: ${f.label} ${f.value}`).toBe(true);
          // Cut after a phrase, never inside one.
          expect(kept, where).not.toMatch(/、[^、，。；：]{1,2}$/);
        }
      }
    }
  });

  it('asks questions in text and links every approval card and receipt to the case', () => {
    for (const { m, before } of cards()) {
      const card = m.card!;
      if (card.title.startsWith('请选择')) expect(before.at(-1)!.text, card.title).toMatch(/^【.+第 \d+(?:\/\d+)? 步】/);
      if (/待您(审批|办理)|已提交/.test(card.title)) expect(card.link?.url, card.title).toMatch(/^https:\/\/dandang\.example\.gov\.cn\/m\/cases\/(RC|FB|TZ)\d{4}-\d{4}$/);
    }
  });
});
