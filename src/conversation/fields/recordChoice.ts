import { fail, ok, type Field, type FieldContext } from '../field';
import { parseSmallNumber } from '../parse/numbers';

export interface RecordOption<V> {
  label: string;
  value: V;
}

/**
 * A choice among records that exist when the question is asked (open 问责事项, filings in
 * force): numbered in the question, answered by number. The options are read again when the
 * answer arrives, so an answer never points at a record that has meanwhile gone.
 */
export function recordChoice<V>(prompt: string, load: (ctx: FieldContext) => Promise<RecordOption<V>[]>, format: (value: V) => string): Field<V> {
  return {
    prompt,
    hint: '请回复序号，例如：1。',
    async listing(ctx) {
      const options = await load(ctx);
      return options.map((o, i) => `${i + 1}. ${o.label}`).join('\n');
    },
    async parse(input, ctx) {
      const options = await load(ctx);
      const n = input.kind === 'option' ? input.index + 1 : input.kind === 'text' ? parseSmallNumber(input.text) : undefined;
      if (n === undefined) return fail(`请回复 1 到 ${options.length} 之间的序号。`);
      const picked = options[n - 1];
      return picked ? ok(picked.value) : fail(`没有第 ${n} 项，请回复 1 到 ${options.length} 之间的序号。`);
    },
    format,
  };
}
