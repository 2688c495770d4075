import type { Values } from '../dialogue';
import type { Field } from '../field';
import { choice, choices } from './basic';

/**
 * A choice whose options come from the dialogue's own values: the verdicts and outcomes of the
 * chain a card was sent for, prefilled when the dialogue starts. Answered like `choice`.
 */
export function choiceFrom(prompt: string, options: (values: Values) => readonly string[]): Field<string> {
  const at = (values: Values) => choice(prompt, options(values));
  return {
    prompt,
    hint: '请回复序号或选项文字，例如：1。',
    buttonsFor: (ctx) => at(ctx.values).buttons,
    choicesFor: (ctx) => ({ options: options(ctx.values), multiple: false }),
    listing: (ctx) => at(ctx.values).listing?.(ctx),
    parse: (input, ctx, previous) => at(ctx.values).parse(input, ctx, previous),
    format: (value) => value,
  };
}

/** The options picked, by index, with their text for the summary. */
export interface Picked {
  indexes: number[];
  labels: string[];
}

/** Several of the options the dialogue's values hold, answered like `choices` ("一、三"). */
export function choicesFrom(prompt: string, options: (values: Values) => readonly string[], labels?: (index: number) => string): Field<Picked> {
  const at = (values: Values) => choices(prompt, options(values), labels);
  return {
    prompt,
    hint: '可多选，请回复序号，例如：1、3 或 二和四。',
    listing: (ctx) => at(ctx.values).listing?.(ctx),
    choicesFor: (ctx) => ({ options: options(ctx.values).map((o, i) => (labels ? `${labels(i)}${o}` : o)), multiple: true }),
    async parse(input, ctx) {
      const parsed = await at(ctx.values).parse(input, ctx, undefined);
      if (parsed.ok !== true) return parsed.ok === 'partial' || parsed.ok === 'explain' ? { ok: false, error: parsed.message } : parsed;
      const all = options(ctx.values);
      return { ok: true, value: { indexes: parsed.value, labels: parsed.value.map((i) => `${labels ? labels(i) : `${i + 1}.`} ${all[i]}`) } };
    },
    format: (value) => value.labels.join('\n'),
  };
}
