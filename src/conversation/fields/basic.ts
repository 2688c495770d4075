import type { Values } from '../dialogue';
import { fail, ok, type Field, type FieldContext, type FieldInput } from '../field';
import { formatDate, parseDate } from '../parse/dates';
import { parseSmallNumber, splitChoices } from '../parse/numbers';

const typed = (input: FieldInput): string | undefined => (input.kind === 'text' ? input.text.trim() : undefined);

interface TextOptions {
  min?: number;
  max?: number;
  example?: string;
  optional?: boolean;
}

/** Free text; an optional one may be skipped (跳过), and its type says so. */
export function text(prompt: string, options: TextOptions & { optional: true }): Field<string> & { optional: true };
export function text(prompt: string, options?: TextOptions & { optional?: false }): Field<string>;
export function text(prompt: string, options: TextOptions = {}): Field<string> {
  const min = options.min ?? 1;
  const max = options.max ?? 2000;
  return {
    prompt,
    optional: options.optional,
    hint: `请直接输入文字，${min > 1 ? `至少 ${min} 字，` : ''}不超过 ${max} 字${options.example ? `，例如：${options.example}` : ''}。`,
    parse(input) {
      const value = typed(input);
      if (value === undefined) return fail('这一步需要文字回答。');
      if ([...value].length < min) return fail(min > 1 ? `内容太短了，请至少写 ${min} 个字。` : '内容不能为空。');
      if ([...value].length > max) return fail(`内容太长了（${[...value].length} 字），请控制在 ${max} 字以内，可分条简要说明。`);
      return ok(value);
    },
    format: (value) => value,
  };
}

/** One of a few options; its value is the option's text, typed as the options are. */
export function choice<O extends string>(prompt: string, options: readonly O[]): Field<O> {
  const numbered = options.map((o, i) => `${i + 1}. ${o}`).join('\n');
  return {
    prompt,
    buttons: options.length <= 6 ? options : undefined,
    listing: () => (options.length > 6 ? numbered : undefined),
    hint: `请回复序号或选项文字，例如：1 或 ${options[0]}。`,
    parse(input) {
      if (input.kind === 'option') return options[input.index] !== undefined ? ok(options[input.index]) : fail('该选项已失效。');
      const value = typed(input);
      if (value === undefined) return fail('请选择一项。');
      const byNumber = parseSmallNumber(value);
      if (byNumber !== undefined) return options[byNumber - 1] ? ok(options[byNumber - 1]) : fail(`没有第 ${byNumber} 项，请回复 1 到 ${options.length} 之间的序号。`);
      const matches = options.filter((o) => o.includes(value));
      const picked = options.find((o) => o === value) ?? (matches.length === 1 ? matches[0] : undefined);
      return picked ? ok(picked) : fail(`“${value}”不是可选项。可选：\n${numbered}`);
    },
    format: (value) => value,
  };
}

/** Several options at once: "1,3", "一、三", or the options' own words. */
export function choices(prompt: string, options: readonly string[], labels: (index: number) => string = (i) => `${i + 1}`): Field<number[]> {
  const numbered = options.map((o, i) => `${labels(i)} ${o}`).join('\n');
  return {
    prompt,
    listing: () => numbered,
    hint: '可多选，请回复序号，例如：1、3 或 二和四。',
    parse(input) {
      const value = typed(input);
      if (value === undefined) return fail('请回复所选各项的序号。');
      const whole = options.indexOf(value);
      if (whole >= 0) return ok([whole]);
      const picked = new Set<number>();
      for (const part of splitChoices(value)) {
        const n = parseSmallNumber(part);
        const byText = options.findIndex((o) => o === part || o.startsWith(part));
        const index = n !== undefined ? n - 1 : byText;
        if (index < 0 || index >= options.length) return fail(`“${part}”不在可选范围内，请回复 1 到 ${options.length} 之间的序号。`);
        picked.add(index);
      }
      return picked.size > 0 ? ok([...picked].sort((a, b) => a - b)) : fail('请至少选择一项。');
    },
    // Plain numbers are only how one answers (思想、工作); article items such as （二） are part of the citation.
    format: (value) => (labels(0) === '1' ? value.map((i) => options[i]).join('、') : value.map((i) => `${labels(i)}${options[i]}`).join('\n')),
  };
}

/** A whole number from `min` to `max` (3, ３, 三); `check` may refuse one that does not fit the answers so far. */
export function wholeNumber(
  prompt: string,
  options: { min: number; max: number; check?: (n: number, values: Record<string, unknown>) => string | undefined },
): Field<number> {
  return {
    prompt,
    hint: `请回复 ${options.min} 到 ${options.max} 之间的整数，例如：${options.min}。`,
    parse(input, ctx) {
      const value = typed(input);
      const n = value === undefined ? undefined : parseSmallNumber(value.replace(/次$/, ''));
      if (n === undefined || n < options.min || n > options.max) return fail(`请回复 ${options.min} 到 ${options.max} 之间的整数。`);
      const problem = options.check?.(n, ctx.values);
      return problem ? fail(problem) : ok(n);
    },
    format: (value) => String(value),
  };
}

const UNSURE = /^(?:我)?(?:不太?清楚|不太?确定|不知道|不懂|不了解|不明白|拿不准|说不好|什么意思|啥意思|什么是.*|.*是什么|.*指什么|.*包括哪些|.*有哪些)[？?。！]*$/;

export interface YesNoOptions {
  /** Shown under the question (what counts), and in 帮助. */
  listing?: (ctx: FieldContext) => Promise<string | undefined> | string | undefined;
  /** Said when the person is unsure what the question means (不太清楚), instead of the same prompt again. */
  explain?: (ctx: FieldContext) => Promise<string> | string;
}

export function yesNo(prompt: string, options: YesNoOptions = {}): Field<boolean> {
  const YES = ['是', '是的', '对', '有', '需要', '确认', 'y', 'yes', '1'];
  const NO = ['否', '不是', '不', '没有', '无', '不需要', 'n', 'no', '2'];
  return {
    prompt,
    buttons: ['是', '否'],
    listing: options.listing,
    hint: '请回复“是”或“否”。',
    async parse(input, ctx) {
      if (input.kind === 'option') return ok(input.index === 0);
      const value = typed(input)?.toLowerCase();
      if (value !== undefined && YES.includes(value)) return ok(true);
      if (value !== undefined && NO.includes(value)) return ok(false);
      if (value !== undefined && options.explain && UNSURE.test(value)) return { ok: 'explain', message: await options.explain(ctx) };
      return fail('请回复“是”或“否”。');
    },
    format: (value) => (value ? '是' : '否'),
  };
}

const QUICK_DATES = ['今天', '昨天'] as const;

/** A date another answer bounds this one by: the start an end may not precede, the grant a 约谈 follows. */
export interface DateBound {
  date: string;
  /** What that date is, as the refusal names it: 开始日期, 批复日期. */
  what: string;
}

/** The bound another answer sets, once it is given. */
export const bound = (date: unknown, what: string): DateBound | undefined => (typeof date === 'string' ? { date, what } : undefined);

export interface DateOptions {
  notFuture?: boolean;
  /** The question asks about a plan: 3月5日 and 周五 mean the next ones, and the examples say so. */
  future?: boolean;
  /** Offers 今天 and 昨天 as buttons, for what is usually recent. */
  quick?: boolean;
  earliest?: (values: Values) => DateBound | undefined;
  latest?: (values: Values) => DateBound | undefined;
}

/** A calendar date, read the way the question looks: back for a record, ahead for a plan. */
export function date(prompt: string, options: DateOptions = {}): Field<string> {
  return {
    prompt,
    buttons: options.quick ? QUICK_DATES : undefined,
    hint: options.future ? '请输入日期，例如：2027-01-15、1月15日、下周一、明天。' : '请输入日期，例如：2026-03-05、3月5日、昨天、上周五。',
    parse(input, ctx) {
      const value = input.kind === 'option' ? QUICK_DATES[input.index] : typed(input);
      const parsed = value === undefined ? undefined : parseDate(value, ctx.today, options.future ? 'future' : 'past');
      if (!parsed) return fail(`没能识别“${value ?? ''}”这个日期。`);
      const iso = formatDate(parsed);
      if (options.notFuture && iso > formatDate(ctx.today)) return fail(`${iso} 还没有到，请输入今天或以前的日期。`);
      const earliest = options.earliest?.(ctx.values);
      if (earliest && iso < earliest.date) return fail(`${iso} 早于${earliest.what}（${earliest.date}），请输入 ${earliest.date} 或以后的日期。`);
      const latest = options.latest?.(ctx.values);
      if (latest && iso > latest.date) return fail(`${iso} 晚于${latest.what}（${latest.date}），请输入 ${latest.date} 或以前的日期。`);
      return ok(iso);
    },
    format: (value) => value,
  };
}

/** Where something took place; a date typed here is the answer to another question, so it is asked again. */
export function place(prompt: string, options: { max?: number; example: string }): Field<string> {
  const words = text(prompt, { max: options.max ?? 100, example: options.example });
  return {
    ...words,
    hint: `请输入地点，例如：${options.example}。`,
    parse(input, ctx, previous) {
      const value = typed(input);
      if (value !== undefined && parseDate(value, ctx.today)) return fail(`“${value}”像是日期，这一步问的是地点。`);
      return words.parse(input, ctx, previous);
    },
  };
}
