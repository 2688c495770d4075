import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat } from '../support/chat';
import { applyForTolerance, decide, investigate } from '../support/toleranceDialogue';

describe('纠错 after a granted exemption', () => {
  let chat: Chat;
  beforeEach(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
  });
  afterEach(async () => chat.close());

  it('when the 纪工委 holds the 约谈提醒, then it is logged as a 谈心谈话 and the task is done', async () => {
    const [yangFan, liuYang, wuHaiyan, chenJianguo] = ['P014', 'P012', 'P009', 'P001'].map((code) => chat.as(code));
    await applyForTolerance(yangFan);
    await decide(liuYang, '同意', '同意。');
    await investigate(wuHaiyan, '予以容错免责');
    await decide(chenJianguo, '同意', '同意。');

    const todo = await wuHaiyan.says('我的待办');
    const admonition = /待办 #(\d+)：约谈提醒/.exec(todo.text)![1];
    const opening = await wuHaiyan.says(`办结 ${admonition}`);
    expect(opening.text).toContain('哪天谈的？');
    await wuHaiyan.taps('今天');
    await wuHaiyan.says('纪工委谈话室');
    await wuHaiyan.says('二、四');
    await wuHaiyan.says('指出征地补偿协议签订程序上的不足，鼓励放下包袱、轻装上阵。');
    await wuHaiyan.says('跳过');
    await wuHaiyan.says('跳过');
    const summary = await wuHaiyan.taps('提交');
    expect(summary.text).toMatch(/已保存谈话记录（编号 TH2026-\d{5}）：2026-11-27 与 杨帆 的约谈提醒/);
    expect(summary.text).toContain('已办结');

    const [talk] = await chat.db.query(`SELECT kind, place FROM talks`);
    expect(talk).toEqual({ kind: '约谈提醒', place: '纪工委谈话室' });
    const [task] = await chat.db.query(`SELECT status, note FROM case_tasks WHERE kind = 'admonition'`);
    expect(task.status).toBe('done');
    expect(task.note).toMatch(/已约谈，谈话记录 TH2026-\d{5}/);
  });
});
