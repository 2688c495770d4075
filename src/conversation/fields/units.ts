import { fail, ok, type Field } from '../field';

export interface UnitRef {
  id: number;
  name: string;
}

/** A roster unit by (part of) its name; several matches are told apart by asking. */
export function unit(prompt: string): Field<UnitRef> {
  return {
    prompt,
    hint: '请输入单位名称，例如：经济发展局、利港街道。',
    async parse(input, ctx) {
      if (input.kind !== 'text') return fail('请输入单位名称。');
      const name = input.text.trim().replace(/^#/, '');
      const units = await ctx.roster.units();
      const exact = units.filter((u) => u.name === name || u.code === name);
      const matches = exact.length > 0 ? exact : units.filter((u) => u.name.includes(name));
      if (matches.length === 0) return fail(`名册中没有找到“${name}”这个单位。`);
      if (matches.length === 1) return ok({ id: matches[0].id, name: matches[0].name });
      const byId = new Map(units.map((u) => [u.id, u]));
      return {
        ok: 'clarify',
        question: `有 ${matches.length} 个单位名称含“${name}”，请问是哪一个？`,
        options: matches.map((u) => ({
          label: u.parentId ? `${byId.get(u.parentId)?.name ?? ''} ${u.name}` : u.name,
          input: `#${u.code}`,
        })),
      };
    },
    format: (value) => value.name,
  };
}
