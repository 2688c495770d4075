import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Channel, type Chat, type Chatter } from '../support/chat';
import { testCipher } from '../support/fieldKeys';

/** 380 characters of 申请事由: more than a DingTalk card variable (1 KB) holds. */
const REASON = (
  '2026年8月，为推进滨江项目征地拆迁，在上级政策尚未明确补偿标准的情况下，经街道党工委会议集体研究，先行与被征地企业签订了补偿协议，' +
  '约定按评估价上浮百分之五补偿，以保证项目按期开工。协议签订后，市里出台新的补偿办法，标准低于协议约定，造成约20万元的差额损失。' +
  '事后我们主动向纪工委说明情况，及时与企业协商调整了后续款项的支付方式，挽回了部分损失，并修订了本单位征地补偿的内部审批流程，' +
  '增加了法律顾问审查和分管领导会签两个环节，避免类似问题再次发生。当时的考虑是项目已列入市重点工程，延误开工将影响全年投资目标，' +
  '也会影响企业的正常经营和职工安置，因此在请示分管领导后作出了先行签约的决定。整个过程没有谋取任何私利，相关会议纪要和请示材料均已存档备查，' +
  '可以提供给组织核实。'
)
  .padEnd(380, '恳请组织予以容错。')
  .slice(0, 380);

const channels: Channel[] = ['simulator', 'dingtalk', 'wecom'];
const runs = databaseBackends.slice(-1).flatMap((database) => channels.map((channel) => ({ database, channel })));

describe.each(runs)('the confirmation shows everything it asks to check, over $channel ($database.name)', ({ database, channel }) => {
  let chat: Chat;
  let yangFan: Chatter;

  beforeEach(async () => {
    chat = await openChat(database, stateBackends[0], {}, channel);
    yangFan = chat.as('P014');
  });
  afterEach(async () => chat.close());

  it('with a 380-character 申请事由, the summary message holds every answer and the card only asks 提交 / 修改 / 取消', async () => {
    expect(Array.from(REASON)).toHaveLength(380);
    await yangFan.says('申请容错');
    await yangFan.taps('否');
    await yangFan.says('1');
    await yangFan.says('滨江项目征地补偿问题被纪工委启动问责');
    await yangFan.taps('否');
    await yangFan.says(REASON);
    const filing = await yangFan.says('二、三');
    await yangFan.says(/(\d+)\. 没有/.exec(filing.text)![1]);
    await yangFan.taps('是');
    await yangFan.sends('补偿协议.pdf');
    const summary = await yangFan.says('完成');

    const text = summary.messages.map((m) => m.text ?? '').join('\n');
    expect(text).toContain('请核对容错免责申请：');
    expect(text).toContain('申请人：杨帆');
    expect(text).toMatch(/职务：综合科科长/);
    expect(text).toContain('申请时间：2026-11-27');
    expect(text).toContain(REASON);
    expect(text).toMatch(/符合的容错情形：\n（二）.+\n（三）/);
    expect(text).toContain('是否“八个一体化”事项：是');
    expect(text).toMatch(/证明材料：1\. (补偿协议\.pdf|图片)/);

    const card = summary.cards.at(-1)!;
    expect(card.title).toBe('请确认容错免责申请');
    expect(card.buttons.map((b) => b.label)).toEqual(['提交', '修改', '取消']);
    expect(card.fields ?? []).toEqual([]);
    // Each DingTalk card variable holds at most 1 KB; nothing this card says needs cutting.
    for (const value of [card.title, card.description ?? '']) {
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(1024);
      expect(value.endsWith('…')).toBe(false);
    }
    expect((await yangFan.taps('提交')).text).toMatch(/已提交容错免责申请，编号 RC2026-\d{4}/);
    const [stored] = await chat.db.query('SELECT form FROM cases');
    expect(JSON.parse(testCipher.open(stored.form, 'cases.form')).reason).toBe(REASON);
  });
});
