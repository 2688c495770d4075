import type { AnyDialogue } from './session';

/**
 * What a cadre naturally types for a command: "我想申请容错免责", "容错", "进度", "我的谈话".
 * Read only when no dialogue is going on (inside one, every text answers the question asked).
 */

// Said around a request and meaning nothing by themselves.
const LEADING = /^(?:我想|我要|想要|我需要|需要|请帮我|帮我|麻烦|请问|请|想|要)+/;
const TRAILING = /(?:一下|下|吧|呢|啊|了|。|！|!|？|\?|～|~|\.)+$/;

/** Other words for the bot's own commands. */
const ALIASES: Record<string, string> = {
  进度: '我的申请',
  我的进度: '我的申请',
  办理进度: '我的申请',
  查进度: '我的申请',
  查询进度: '我的申请',
  申请进度: '我的申请',
  我的案件: '我的申请',
  待办: '我的待办',
  我的任务: '我的待办',
  我的谈话: '谈话进度',
  我的谈话记录: '谈话进度',
  谈话记录: '谈话进度',
};

// Too general to stand for one dialogue: 申请 may as well mean 我的申请.
const GENERIC = ['申请', '记录', '登记', '设置', '查看', '备案', '谈话'];

/** Words that greet: they get the menu. */
export const GREETINGS = ['你好', '您好', '在吗', '在', 'hi', 'hello', '开始', '嗨', '哈喽'];

export function normalize(text: string): string {
  return text.trim().toLowerCase().replace(/\s+/g, '').replace(TRAILING, '').replace(LEADING, '');
}

/**
 * The command or trigger words the text stands for, or undefined. A trigger found inside the text
 * (申请容错免责 holds 申请容错) or the text inside one trigger family (容错) starts that dialogue,
 * when exactly one of the menu's dialogues (or else of all) fits.
 */
export function interpret(text: string, menu: AnyDialogue[], all: AnyDialogue[]): string | undefined {
  const said = normalize(text);
  if (said.length === 0) return undefined;
  if (ALIASES[said]) return ALIASES[said];
  const partOfTrigger = said.length >= 2 && !GENERIC.includes(said);
  for (const group of [menu, all]) {
    const fits = group.filter((d) => d.triggers.some((t) => said.includes(t) || (partOfTrigger && t.includes(said))));
    if (fits.length === 1) return fits[0].triggers[0];
  }
  return said !== text.trim() ? said : undefined;
}

function bigrams(text: string): Set<string> {
  const chars = [...text];
  return new Set(chars.length < 2 ? chars : chars.slice(1).map((c, i) => chars[i] + c));
}

/** The commands closest to what was typed (shared pairs of characters), best first; the menu's when none is close. */
export function nearestCommands(text: string, commands: string[], fallback: string[], count = 3): string[] {
  const said = bigrams(normalize(text));
  const scored = commands
    .map((command) => ({ command, score: [...bigrams(command)].filter((b) => said.has(b)).length }))
    .filter((c) => c.score > 0)
    .sort((a, b) => b.score - a.score);
  const picked = [...new Set(scored.map((c) => c.command))].slice(0, count);
  return picked.length > 0 ? picked : fallback.slice(0, count);
}
