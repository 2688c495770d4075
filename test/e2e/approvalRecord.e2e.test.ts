import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, recordBefore, type Channel, type Chat, type Chatter } from '../support/chat';
import { applyForTolerance, decide, investigate } from '../support/toleranceDialogue';

const BASE = 'https://dandang.example.gov.cn';
const caseNumber = async (chat: Chat): Promise<string> => (await chat.db.query('SELECT number FROM cases'))[0].number;

const channels: Channel[] = ['simulator', 'wecom'];
const runs = databaseBackends.slice(-1).flatMap((database) => channels.map((channel) => ({ database, channel })));

describe.each(runs)('approvers decide on the whole record, over $channel ($database.name)', ({ database, channel }) => {
  let chat: Chat;
  let yangFan: Chatter; // the applicant
  let liuYang: Chatter; // his unit's 党组织
  let wuHaiyan: Chatter; // 纪工委
  let chenJianguo: Chatter; // 基层党委 and 开发区党工委

  beforeEach(async () => {
    chat = await openChat(database, stateBackends[0], { PUBLIC_BASE_URL: BASE }, channel);
    [yangFan, liuYang, wuHaiyan, chenJianguo] = ['P014', 'P012', 'P009', 'P001'].map((code) => chat.as(code));
  });
  afterEach(async () => chat.close());

  it('the 基层党委 reads the form, the unit’s opinion, the 六看 and the proposed outcomes before its card', async () => {
    const receipt = await applyForTolerance(yangFan);
    const number = await caseNumber(chat);
    const receiptCard = receipt.cards.at(-1)!;
    expect(receiptCard.link).toEqual({ label: '查看完整材料', url: `${BASE}/m/cases/${number}` });
    expect(receipt.text).toContain('审批路径：所在单位党组织意见（刘洋） → 纪（工）委意见（吴海燕） → 基层党委意见（陈建国）');

    // The 纪工委 sees what the unit said, with who and when.
    await decide(liuYang, '不同意', '不属于第五条情形。');
    const findingCard = wuHaiyan.lastCard()!;
    const forFinding = recordBefore(wuHaiyan, findingCard.cardId);
    expect(forFinding).toContain('1. 所在单位党组织意见｜刘洋｜2026-11-27');
    expect(forFinding).toContain('不同意。不属于第五条情形。');
    expect(findingCard.fields).toContainEqual({ label: '上一环节', value: '刘洋 不同意' });

    expect((await investigate(wuHaiyan, '予以容错免责')).text).toContain(`已记录您的认定：予以容错免责（${number}，纪（工）委意见）`);
    // A finding is a 认定, and its card says so once decided.
    expect(wuHaiyan.transcript().find((m) => m.card?.cardId === findingCard.cardId)!.card!.closedLabel).toBe('已认定：予以容错免责 · 吴海燕 · 11月27日');
    expect(yangFan.transcript().at(-1)!.text).toContain('吴海燕 认定：予以容错免责');

    const card = chenJianguo.lastCard()!;
    const record = recordBefore(chenJianguo, card.cardId);
    expect(record).toContain(`【完整材料】${number} 容错免责申请`);
    expect(record).toContain('申请事由：2026年8月在推进滨江项目征地时，为赶工期先行签订了补偿协议，后因政策调整造成约20万元损失。');
    expect(record).toContain('申请人：杨帆');
    expect(record).toContain('申请时间：2026-11-27');
    expect(record).toMatch(/符合的容错情形：\n《容错细则》第五条（二）.+\n《容错细则》第五条（三）/);
    expect(record).toContain('1. 所在单位党组织意见｜刘洋｜2026-11-27');
    expect(record).toContain('2. 纪（工）委意见｜吴海燕｜2026-11-27');
    expect(record).toContain('认定：予以容错免责，作《容错细则》第七条（一）（三）处理。');
    expect(record).toContain('· 看问题性质：属于探索创新中的失误，不是有令不行。');
    expect(record).toContain('· 看纠错态度：发现问题后及时补救，挽回部分损失。');
    expect(record).toMatch(/拟作处理：\n {3}· （一）.+\n {3}· （三）/);
    expect(record).toContain('证明材料：未提交');
    expect(record).toContain(`查看完整材料：${BASE}/m/cases/${number}`);
    // The card itself is compact: what a phone shows whole, and the buttons.
    expect(card.title).toBe('容错免责申请待您审批：基层党委意见');
    expect(card.fields).toContainEqual({ label: '认定意见', value: expect.stringMatching(/^予以容错免责/) });
    expect(card.fields!.length).toBeLessThanOrEqual(6);
    expect(card.link?.url).toBe(`${BASE}/m/cases/${number}`);
    expect(card.buttons.map((b) => b.label)).toEqual(['同意', '不同意', '退回补充']);

    await decide(chenJianguo, '同意', '同意纪工委意见，予以容错免责。', '一、二');
    // The applicant is told which 第七条 items were granted, word for word; 进度 says the same.
    const reply = yangFan.transcript().find((m) => m.text?.startsWith('【批复】'))!.text!;
    expect(reply).toMatch(/给予的处理（《容错细则》第七条）：\n（一）.+\n（二）/);
    const progress = await yangFan.says(`进度 ${number}`);
    expect(progress.text).toMatch(/给予的处理（《容错细则》第七条）：\n（一）.+\n（二）/);
    expect(progress.text).toContain('所在单位党组织意见 · 刘洋 · 2026-11-27\n  不同意。不属于第五条情形。');
    expect(progress.text).toContain('纪（工）委意见 · 吴海燕 · 2026-11-27\n  认定：予以容错免责');
  });

  it('after 退回补充 the re-sent record shows what was supplied', async () => {
    await applyForTolerance(yangFan);
    const opinion = await liuYang.taps('退回补充');
    expect(opinion.text).toContain(`您对 ${await caseNumber(chat)}（所在单位党组织意见）选择了“退回补充”`);
    await liuYang.says('请补充街道党工委会议纪要。');
    await liuYang.taps('提交');
    // The question is a message in full; the card only starts the supplement.
    expect(yangFan.transcript().at(-2)!.text).toContain('刘洋 的问题：请补充街道党工委会议纪要。');
    await yangFan.taps('补充材料');
    await yangFan.says('会议纪要已补充，见附件。');
    await yangFan.sends('街道党工委会议纪要.pdf');
    await yangFan.says('完成');
    await yangFan.taps('提交');

    const card = liuYang.lastCard()!;
    const record = recordBefore(liuYang, card.cardId);
    expect(record).toContain('二、补充材料');
    expect(record).toContain('审批人的问题：请补充街道党工委会议纪要。');
    expect(record).toContain('补充说明：会议纪要已补充，见附件。');
    // WeCom's chatter sends a picture, the simulator a named file.
    expect(record).toMatch(/补充附件：(街道党工委会议纪要\.pdf|图片)/);
    expect(record).toContain('1. 所在单位党组织意见｜刘洋｜2026-11-27');
    expect(record).toContain('退回补充：请补充街道党工委会议纪要。');
    expect(card.fields).toContainEqual({ label: '补充材料', value: '已补充 1 次，见上一条消息' });
  });

  it('a refused request names why it was not granted', async () => {
    await applyForTolerance(yangFan);
    await decide(liuYang, '同意', '同意报纪工委。');
    await investigate(wuHaiyan, '不予容错免责', '', '经调查核实，不符合第五条情形，属于明知故犯。');
    await decide(chenJianguo, '同意', '同意纪工委意见。');
    const reply = yangFan.transcript().find((m) => m.text?.startsWith('【批复】'))!.text!;
    expect(reply).toContain('不予容错免责');
    expect(reply).toContain('理由：经调查核实，不符合第五条情形，属于明知故犯。');
  });

  it.skipIf(channel !== 'wecom')('a refused click on the approver’s card leaves the approver’s code: the card still greys out', async () => {
    await applyForTolerance(yangFan);
    const card = liuYang.lastCard()!;
    await liuYang.taps('同意');
    // The applicant presses the unit's card (a forwarded copy): refused, and his click's code is his own.
    const refused = await yangFan.tapsOn(card.cardId, card.buttons[0].key);
    expect(refused.text).toContain('您不是“所在单位党组织意见”这一环节的审批人');
    await liuYang.says('情况属实，同意报纪工委调查核实。');
    await liuYang.taps('提交');
    expect(liuYang.transcript().find((m) => m.card?.cardId === card.cardId)!.card!.closedLabel).toBe('已同意 · 刘洋 · 11月27日');
  });
});
