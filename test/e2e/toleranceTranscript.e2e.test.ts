import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../src/channels/simulator/transcript';
import { databaseBackends, stateBackends } from '../support/backends';
import { openChat, type Chat, type Chatter } from '../support/chat';
import { applyForTolerance, decide, investigate } from '../support/toleranceDialogue';

/** A chat as the person's phone shows it, oldest first: what they typed, what the bot said, each card with its buttons. */
function rendered(name: string, entries: TranscriptEntry[]): string {
  const lines = [`==== ${name}`];
  for (const e of entries) {
    const at = e.at.slice(5, 16).replace('T', ' ');
    if (e.from === 'user') lines.push(`[${at}] ${name}：${e.text}`);
    else if (e.card) {
      const c = e.card;
      lines.push(
        `[${at}] 〔卡片〕${c.title}`,
        ...(c.description ? c.description.split('\n').map((l) => `    ${l}`) : []),
        ...(c.fields ?? []).map((f) => `    ${f.label}：${f.value}`),
        `    [${c.buttons.map((b) => b.label).join('] [')}]${c.closedLabel ? ` → ${c.closedLabel}` : ''}`,
      );
    } else lines.push(`[${at}] ${(e.text ?? e.markdown ?? '').split('\n').join('\n    ')}`);
  }
  return lines.join('\n');
}

/**
 * One 容错免责 application read as the people in it read it: 杨帆 applies, 刘洋 (his unit), 吴海燕
 * (纪工委) and 陈建国 (基层党委) decide, and the 批复 reaches him. Every message each of them
 * received is written to a file (TRANSCRIPT_DIR, or the system's temporary folder) to be read top
 * to bottom; the checks below hold the wording that reading fixed.
 */
describe('a 容错免责 application, every message each person receives (simulator, sqlite)', () => {
  let chat: Chat;
  let people: Record<'杨帆' | '刘洋' | '吴海燕' | '陈建国', Chatter>;

  beforeEach(async () => {
    chat = await openChat(databaseBackends[0], stateBackends[0]);
    people = { 杨帆: chat.as('P014'), 刘洋: chat.as('P012'), 吴海燕: chat.as('P009'), 陈建国: chat.as('P001') };
  });
  afterEach(async () => chat.close());

  it('from 申请容错 to the 批复', async () => {
    const { 杨帆: yangFan, 刘洋: liuYang, 吴海燕: wuHaiyan, 陈建国: chenJianguo } = people;
    await yangFan.says('我的申请');
    // A first try given up after one answer: 取消 asks, counting only that answer.
    await yangFan.says('申请容错');
    await yangFan.taps('否');
    expect((await yangFan.says('取消')).text).toContain('您已填写 1 项，取消后这些内容不会保存。');
    expect((await yangFan.taps('确定取消')).text).toBe('已取消，填写的内容没有保存。需要时发送“申请容错”重新开始。');
    await applyForTolerance(yangFan);
    await yangFan.says('进度');
    // The approver opens the opinion and leaves it before typing: nothing to lose, nothing asked; the card starts it again.
    await liuYang.taps('同意');
    expect((await liuYang.says('取消')).text).toBe('已取消，填写的内容没有保存。需要时再次点击原卡片上的按钮重新填写。');
    await decide(liuYang, '同意', '情况属实，同意报纪工委调查核实。');
    await investigate(wuHaiyan, '予以容错免责');
    await decide(chenJianguo, '同意', '同意纪工委意见，予以容错免责。');
    await yangFan.says('进度');

    const dir = process.env.TRANSCRIPT_DIR ?? join(tmpdir(), 'dandang-transcripts');
    mkdirSync(dir, { recursive: true });
    const text = Object.entries(people).map(([name, who]) => rendered(name, who.transcript())).join('\n\n');
    writeFileSync(join(dir, 'tolerance.txt'), `${text}\n`);

    // Each step's news: the case, then who said what at which stage, then what comes next.
    expect(yangFan.transcript().map((m) => m.text ?? '')).toContain('您的容错免责申请 RC2026-0001 有新进展：\n所在单位党组织意见：刘洋 同意。情况属实，同意报纪工委调查核实。\n下一步：纪（工）委意见。');
    // The 批复: its outcome first, then its number and date in a sentence of their own.
    const reply = yangFan.transcript().find((m) => m.text?.startsWith('【批复】'))!.text!;
    expect(reply.split('\n').slice(0, 2)).toEqual(['【批复】RC2026-0001 容错免责申请（杨帆）：予以容错免责，作《容错细则》第七条（一）（三）处理。', `批复编号 ${/PF2026-\d{4}/.exec(reply)![0]}，2026-11-27 作出。`]);
    expect(reply).toContain('\n基层党委意见：陈建国 同意。同意纪工委意见，予以容错免责。\n');
    // The approver's confirmation names the case and the stage first.
    expect(chenJianguo.transcript().map((m) => m.text ?? '')).toContain('您对 RC2026-0001（基层党委意见）选择了“同意”，确认后作出批复。\n纪（工）委认定意见：予以容错免责，作《容错细则》第七条（一）（三）处理。');
    // The head whose 同意 made the 批复 is told it went out, and to whom.
    expect(chenJianguo.transcript().at(-1)!.text).toMatch(/^已记录您的意见：同意（RC2026-0001，基层党委意见）。\n已作出批复，编号 PF2026-\d{4}，已发送给杨帆、刘洋。$/);
    // A card field has one colon, the keyname's.
    const approval = chenJianguo.transcript().find((m) => m.card?.title === '容错免责申请待您审批：基层党委意见')!.card!;
    expect(approval.fields).toContainEqual({ label: '上一环节', value: '吴海燕 认定：予以容错免责' });

    // Nowhere a bracket stacked on another, but for the articles' own items (第七条（一）（三）).
    const lines = Object.values(people).flatMap((who) => who.transcript()).flatMap((m) => [m.text, m.markdown, m.card?.title, m.card?.description, ...(m.card?.fields ?? []).map((f) => f.value)]);
    expect(lines.filter((l) => l !== undefined && /（[^（）]*[^（）一二三四五六七八九十][^（）]*）（/.test(l))).toEqual([]);
  });
});
