import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat, type Chatter } from '../support/chat';
import { fillToSummary } from '../support/talkDialogue';
import { selectOpened } from '../../src/storage/confidential';

const talks = async (chat: Chat) => selectOpened(chat.db, 'talks', 'SELECT talker_id, talked_on, kind, place, topics, summary, issues_raised FROM talks');

describe.each(stateBackends)('记录谈话, with dialogue state in $name', (stateBackend) => {
  let chat: Chat;
  let liuYang: Chatter;

  beforeEach(async () => {
    chat = await openChat(databaseBackends[0], stateBackend);
    liuYang = chat.as('P012');
  });
  afterEach(async () => chat.close());

  it('when the 经济发展局 head logs a talk from start to finish, then it is saved once with every answer', async () => {
    const opening = await liuYang.says('记录谈话');
    expect(opening.text).toContain('《激励办法》第十一条（四）');
    expect(opening.text).toContain('这次和谁谈的话？');

    const ambiguous = await liuYang.says('王芳');
    expect(ambiguous.text).toContain('名册中有 2 位“王芳”');
    expect(ambiguous.cards[0].buttons.map((b) => b.label)).toEqual(['王芳（党群工作部 党群工作部部长）', '王芳（经济发展局 经济发展局副局长）']);

    const when = await liuYang.taps('王芳（经济发展局 经济发展局副局长）');
    expect(when.text).toContain('哪天谈的？');
    expect((await liuYang.says('昨天')).text).toContain('在哪里谈的？');
    expect((await liuYang.says('局长办公室')).cards[0].buttons.map((b) => b.label)).toEqual(['年度谈心谈话', '被调整干部谈话', '约谈提醒', '其他']);
    expect((await liuYang.taps('年度谈心谈话')).text).toContain('1 思想');
    expect((await liuYang.says('一、二')).text).toContain('请简要记录');
    await liuYang.says('交流了下半年招商项目推进中的思想顾虑和工作安排。');
    expect((await liuYang.says('跳过')).text).toContain('需要后续跟进');

    const summary = await liuYang.says('跳过');
    expect(summary.text).toContain('请确认谈心谈话记录');
    expect(summary.text).toContain('1. 谈话对象：王芳');
    expect(summary.text).toContain('2. 谈话日期：2026-11-26');
    expect(summary.text).toContain('5. 谈话主题：思想、工作');
    expect(summary.text).toContain('7. 反映的问题或诉求：（未填写）');

    const receipt = await liuYang.taps('提交');
    expect(receipt.text).toMatch(/已保存谈话记录（编号 TH2026-\d{5}）：2026-11-26 与 王芳 的年度谈心谈话/);
    expect(await talks(chat)).toEqual([
      expect.objectContaining({ talked_on: '2026-11-26', kind: '年度谈心谈话', place: '局长办公室', topics: '思想、工作', issues_raised: null }),
    ]);
    const [participant] = await chat.db.query('SELECT p.code FROM talk_participants t JOIN people p ON p.id = t.person_id');
    expect(participant.code).toBe('P013');
  });

  it('when the summary is tapped 提交 twice, then one record exists and the second tap says so', async () => {
    await fillToSummary(liuYang);
    const summaryCard = liuYang.lastCard()!;
    const submit = summaryCard.buttons.find((b) => b.label === '提交')!;
    await liuYang.tapsOn(summaryCard.cardId, submit.key);
    const again = await liuYang.tapsOn(summaryCard.cardId, submit.key);
    expect(again.text).toMatch(/这份表单已经提交（编号 TH2026-\d{5}），无需重复提交。/);
    expect(await talks(chat)).toHaveLength(1);
  });

  it('when a step is changed from the summary, then the summary comes back with the new answer', async () => {
    await fillToSummary(liuYang);
    expect((await liuYang.says('修改3')).text).toContain('原来填写的是：局长办公室');
    const summary = await liuYang.says('会议室');
    expect(summary.text).toContain('3. 谈话地点：会议室');
    expect(summary.text).toContain('请确认');
  });

  it('when the summary card’s buttons are used, then that card greys out', async () => {
    await fillToSummary(liuYang);
    const summaryCard = liuYang.lastCard()!;
    await liuYang.taps('提交');
    const shown = liuYang.transcript().find((m) => m.card?.cardId === summaryCard.cardId)!;
    expect(shown.card!.closedLabel).toBe('已提交');
  });
});
