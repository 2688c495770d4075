import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Channel, type Chat, type Chatter } from '../support/chat';
import { applyForTolerance } from '../support/toleranceDialogue';

/** The person's draft values as the state store holds them (undefined once it ended). */
const draftValues = async (chat: Chat, code: string) => {
  const person = (await chat.bot.roster.personByCode(code))!;
  const raw = await chat.state.get(`dialogue:${person.id}`);
  const parsed = raw ? JSON.parse(raw) : undefined;
  return parsed?.ended ? undefined : (parsed?.values as Record<string, unknown>);
};
const positions = (texts: string[]) => texts.flatMap((t) => [...t.matchAll(/第 (\d+)(?:\/(\d+))? 步/g)].map((m) => ({ at: Number(m[1]), of: m[2] && Number(m[2]) })));

const channels: Channel[] = ['simulator', 'wecom'];

describe.each(channels)('the dialogues’ rough edges, over $0', (channel) => {
  let chat: Chat;
  let yangFan: Chatter; // 综合科科长, who applies and files
  let liuYang: Chatter; // 经济发展局 党组织主要负责人, who logs talks and gives the unit's opinion

  beforeEach(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0], {}, channel);
    [yangFan, liuYang] = ['P014', 'P012'].map((code) => chat.as(code));
  });
  afterEach(async () => chat.close());

  describe('取消', () => {
    it('cancels at once when nothing was answered, and says how to begin again', async () => {
      await liuYang.says('记录谈话');
      const cancelled = await liuYang.says('取消');
      expect(cancelled.text).toBe('已取消，填写的内容没有保存。需要时发送“记录谈话”重新开始。');
    });

    it('asks first once the person answered one step, counting only that answer', async () => {
      await liuYang.says('记录谈话');
      await liuYang.says('杨帆');
      const asked = await liuYang.says('取消');
      expect(asked.text).toContain('确定要取消吗？');
      expect(asked.text).toContain('您已填写 1 项');
      expect((await liuYang.taps('确定取消')).text).toContain('已取消');
      expect(await draftValues(chat, 'P012')).toBeUndefined();
    });

    it('an opinion started from a card, with nothing typed, is cancelled at once and resumed by the card', async () => {
      await applyForTolerance(yangFan);
      const asked = await liuYang.taps('同意');
      expect(asked.text).toContain('请填写您的意见');
      const cancelled = await liuYang.says('取消');
      expect(cancelled.text).not.toContain('您已填写');
      expect(cancelled.text).toBe('已取消，填写的内容没有保存。需要时再次点击原卡片上的按钮重新填写。');
      expect((await liuYang.taps('同意')).text).toContain('请填写您的意见');
    });
  });

  describe('parsing what people type', () => {
    it('several choices as 二和四; a date where a place is asked; 不变 after 上一步; names kept but the missing one', async () => {
      await liuYang.says('记录谈话');
      const partial = await liuYang.says('杨帆、张无忌');
      expect(partial.text).toContain('已记下：杨帆。名册中没有找到“张无忌”，请检查姓名是否正确，只需重新输入这一位的姓名');
      expect((await liuYang.says('吴海燕')).text).toContain('哪天谈的？');
      expect((await draftValues(chat, 'P012'))!.talkees).toEqual([expect.objectContaining({ name: '杨帆' }), expect.objectContaining({ name: '吴海燕' })]);
      await liuYang.says('昨天');
      const place = await liuYang.says('前天');
      expect(place.text).toContain('“前天”像是日期，这一步问的是地点。');
      expect((await liuYang.says('局长办公室')).text).toContain('这次谈话属于哪一类？');
      const back = await liuYang.says('上一步');
      expect(back.text).toContain('上次填写的是：局长办公室（不改请回复“不变”）');
      expect((await liuYang.says('不变')).text).toContain('这次谈话属于哪一类？');
      expect((await draftValues(chat, 'P012'))!.place).toBe('局长办公室');
      await liuYang.says('1');
      for (const typed of ['二和四', '2和4', '二 四', '2、4']) {
        await liuYang.says(typed);
        expect((await draftValues(chat, 'P012'))!.topics, typed).toEqual([1, 3]);
        await liuYang.says('上一步');
      }
    });

    it('a plan’s dates look ahead, and an end before the start is refused at its own step', async () => {
      await yangFan.says('风险备案');
      await yangFan.says('1');
      await yangFan.says('企业服务“容缺受理”试点');
      await yangFan.says('对重点项目前期手续实行容缺受理，先受理后补件，缩短项目落地时间约30天。');
      await yangFan.says('省营商环境条例鼓励容缺受理，上级没有明令禁止。');
      await yangFan.says('1. 补件不到位的风险；应对：签订承诺书并限期补齐。');
      await yangFan.says('2026-11-20');
      const start = await yangFan.says('完成');
      expect(start.text).toContain('计划从哪天开始实施？');
      await yangFan.says('1月1日');
      expect((await draftValues(chat, 'P014'))!.periodStart).toBe('2027-01-01');
      await yangFan.says('上一步');
      await yangFan.says('下周一');
      expect((await draftValues(chat, 'P014'))!.periodStart).toBe('2026-11-30');
      const refused = await yangFan.says('11月29日');
      expect(refused.text).toContain('2026-11-29 早于开始日期（2026-11-30），请输入 2026-11-30 或以后的日期。');
      expect(refused.text).toContain('例如：2027-01-15、1月15日、下周一、明天');
      expect((await draftValues(chat, 'P014'))!.periodEnd).toBeUndefined();
      expect((await yangFan.says('明年6月30日')).text).toContain('是否涉及市管干部');
      expect((await draftValues(chat, 'P014'))!.periodEnd).toBe('2027-06-30');
    });
  });

  describe('what a cadre naturally types', () => {
    it('understands 我想申请容错免责, 容错, 进度 and 我的谈话', async () => {
      for (const typed of ['我想申请容错免责', '申请容错免责', '容错']) {
        expect((await yangFan.says(typed)).text, typed).toContain('《临港开发区容错免责审批表》');
        await yangFan.says('取消');
      }
      expect((await yangFan.says('进度')).text).toBe('您目前没有提交过申请或备案。');
      await applyForTolerance(yangFan);
      expect((await yangFan.says('进度')).text).toMatch(/【我的申请】\n.*RC2026-\d{4}/);
      expect((await liuYang.says('我的谈话')).text).toContain('谈话');
      expect((await liuYang.says('我的谈话')).text).not.toContain('没听懂');
    });

    it('says 没听懂 with the nearest commands instead of the greeting again', async () => {
      const answer = await yangFan.says('我要看一下我的申请记录表');
      expect(answer.cards).toEqual([]);
      expect(answer.text).toMatch(/^没听懂“我要看一下我的申请记录表”。您是不是想：“我的申请”/);
      expect(answer.text).toContain('发送“菜单”查看可办理的全部事项');
      expect((await yangFan.says('你好')).cards[0].title).toContain('您好');
    });
  });

  /** 申请容错 up to the 风险备案 question, with no 问责事项 on record: the matter is described. */
  const toFilingQuestion = async () => {
    await yangFan.says('申请容错');
    await yangFan.taps('否');
    await yangFan.says('1');
    await yangFan.says('滨江项目征地补偿问题被纪工委启动问责');
    await yangFan.taps('否');
    await yangFan.says('2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。');
    return yangFan.says('二、三');
  };

  it('never promises a number of steps it then changes, and says what was attached', async () => {
    const filing = await toFilingQuestion();
    await yangFan.says(/(\d+)\. 没有/.exec(filing.text)![1]);
    await yangFan.taps('否');
    await yangFan.sends('会议纪要.pdf');
    await yangFan.says('完成');
    const shown = positions(yangFan.transcript().map((m) => [m.text, m.card?.description].join('\n')));
    expect(shown[0]).toEqual({ at: 1, of: undefined });
    const totals = new Set(shown.map((p) => p.of).filter((n) => n !== undefined));
    expect(totals.size).toBe(1);
    expect(shown.at(-1)).toEqual({ at: 9, of: 9 });
    const attachmentsCard = yangFan.transcript().find((m) => m.card?.buttons.some((b) => b.label === '完成'))!.card!;
    expect(attachmentsCard.closedLabel).toBe('已附 1 个材料');
  });

  describe('the 八个一体化 question', () => {
    const toIntegrated = async () => {
      const filing = await toFilingQuestion();
      return yangFan.says(/(\d+)\. 没有/.exec(filing.text)![1]);
    };

    it('shows the zone’s list, explains on 不太清楚, and 帮助 lists it too', async () => {
      const asked = await toIntegrated();
      expect(asked.text).toContain('“八个一体化”事项清单（本区设置）尚未由党群工作部设置');
      const unsure = await yangFan.says('不太清楚');
      expect(unsure.text).toContain('须报开发区党工委主要负责人同意后作出批复（《容错细则》第六条（一）4）');
      expect(unsure.text).not.toContain('请回复“是”或“否”。\n');
      expect((await yangFan.says('帮助')).text).toContain('“八个一体化”事项清单（本区设置）尚未由党群工作部设置');
      await chat.as('P005').says('设置八个一体化 招商一体化、规划一体化');
      expect((await yangFan.says('帮助')).text).toContain('“八个一体化”事项（本区设置，2026-11-27 更新）：招商一体化、规划一体化');
      expect((await yangFan.taps('否')).text).toContain('证明材料');
      await yangFan.taps('完成');
      expect(yangFan.lastCard()!.title).toContain('请确认');
      const closed = yangFan.transcript().filter((m) => m.card?.buttons.some((b) => b.label === '完成')).at(-1)!.card!;
      expect(closed.closedLabel).toBe('未附材料');
    });

    it('党群工作部 changes the list by chat; others are refused; a bad list changes nothing', async () => {
      const wangFang = chat.as('P005');
      expect((await yangFan.says('设置八个一体化 招商一体化、规划一体化')).text).toContain('“八个一体化”事项清单由党群工作部设置。');
      expect((await wangFang.says(`设置八个一体化 ${'很长'.repeat(21)}`)).text).toContain('没有修改：');
      expect(await chat.db.query('SELECT * FROM zone_settings')).toEqual([]);
      const saved = await wangFang.says('设置八个一体化 招商一体化、规划一体化、规划一体化');
      expect(saved.text).toContain('没有修改：“规划一体化”列了两次。');
      expect((await wangFang.says('设置八个一体化 招商一体化、规划一体化')).text).toContain('已更新。“八个一体化”事项（本区设置，2026-11-27 更新）：招商一体化、规划一体化');
      expect((await toIntegrated()).text).toContain('：招商一体化、规划一体化');
      const audit = await chat.db.query(`SELECT action, detail FROM audit_log WHERE subject = 'setting:integratedMatters' ORDER BY id`);
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['setting.refused', 'setting.changed']);
      expect(JSON.parse(audit[1].detail)).toEqual({ before: null, after: ['招商一体化', '规划一体化'] });
    });
  });
});
