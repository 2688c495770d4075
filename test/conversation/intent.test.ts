import { describe, expect, it } from 'vitest';
import { interpret, nearestCommands } from '../../src/conversation/intent';
import { dialogues, menuDialogues } from '../../conversations';

const meant = (text: string) => interpret(text, menuDialogues, dialogues);

describe('what a cadre naturally types', () => {
  it('finds the dialogue a request names, with or without 我想 and 一下', () => {
    expect(meant('我想申请容错免责')).toBe('申请容错');
    expect(meant('申请容错免责')).toBe('申请容错');
    expect(meant('容错')).toBe('申请容错');
    expect(meant('我要做风险备案。')).toBe('风险备案');
    expect(meant('帮我记录谈话吧')).toBe('记录谈话');
  });

  it('knows other words for its commands', () => {
    expect(meant('进度')).toBe('我的申请');
    expect(meant('我的谈话')).toBe('谈话进度');
    expect(meant('待办')).toBe('我的待办');
  });

  it('does not guess from words too general to name one dialogue', () => {
    expect(meant('申请')).toBeUndefined();
    expect(meant('谈话')).toBeUndefined();
    expect(meant('今天天气')).toBeUndefined();
  });

  it('offers the closest commands, and the menu’s when none is close', () => {
    const commands = ['申请容错', '风险备案', '记录谈话', '我的申请', '我的待办'];
    expect(nearestCommands('我的申请记录表', commands, commands)[0]).toBe('我的申请');
    expect(nearestCommands('天气', commands, ['申请容错', '风险备案'])).toEqual(['申请容错', '风险备案']);
  });
});
