import type { Person } from '../../roster/types';
import { fail, ok, type Field, type FieldContext, type Parsed } from '../field';
import { splitList } from '../parse/numbers';

/** A roster person as a dialogue keeps them: enough to show and to look up again. */
export interface PersonRef {
  id: number;
  name: string;
}

// Once a name has been disambiguated it is carried as "#<code>", which matches exactly one person.
const CODE = /^#(.+)$/;

async function describe(person: Person, ctx: FieldContext): Promise<string> {
  const unit = await ctx.roster.unit(person.unitId);
  return `${person.name}（${unit?.name ?? ''}${person.post ? ` ${person.post}` : ''}）`;
}

async function lookup(part: string, ctx: FieldContext): Promise<Person[]> {
  const code = CODE.exec(part);
  if (code) {
    const person = await ctx.roster.personByCode(code[1]);
    return person ? [person] : [];
  }
  return ctx.roster.peopleNamed(part);
}

const DONE = ['完成', '就这些', '没有了'];

/**
 * One or more roster people by name. Two people with the same name are told apart by asking,
 * never by guessing; the person answering cannot name themself unless `allowSelf`. Of a list
 * with a name the roster lacks, the names found are kept and only the missing one is asked again.
 */
export function people(prompt: string, options: { single?: boolean; allowSelf?: boolean } = {}): Field<PersonRef[]> {
  return {
    prompt,
    hint: options.single ? '请输入对方的姓名，例如：王芳。' : '请输入姓名，多人用顿号隔开，例如：王芳、李明。',
    async parse(input, ctx, previous): Promise<Parsed<PersonRef[]>> {
      if (input.kind !== 'text') return fail('请输入姓名。');
      const sofar = previous ?? [];
      if (sofar.length > 0 && DONE.includes(input.text.trim())) return ok(sofar);
      const parts = splitList(input.text);
      if (parts.length === 0) return fail('请输入姓名。');
      if (options.single && parts.length > 1) return fail('这里只需要一位，请只输入一个姓名。');
      const found: PersonRef[] = [...sofar];
      const missing: string[] = [];
      for (const [index, part] of parts.entries()) {
        const matches = await lookup(part, ctx);
        if (matches.length === 0) {
          missing.push(part);
          continue;
        }
        if (matches.length > 1) {
          return {
            ok: 'clarify',
            question: `名册中有 ${matches.length} 位“${part}”，请问是哪一位？`,
            options: await Promise.all(
              matches.map(async (m) => ({
                label: await describe(m, ctx),
                input: parts.map((p, i) => (i === index ? `#${m.code}` : p)).join('、'),
              })),
            ),
          };
        }
        const [person] = matches;
        if (person.id === ctx.person.id && !options.allowSelf) return fail('这里不能填写您本人。');
        if (!found.some((f) => f.id === person.id)) found.push({ id: person.id, name: person.name });
      }
      const notFound = `名册中没有找到${missing.map((m) => `“${m}”`).join('、')}，请检查姓名是否正确`;
      if (missing.length === 0) return ok(found);
      if (found.length === 0) return fail(`${notFound}。`);
      return {
        ok: 'partial',
        value: found,
        message: `已记下：${found.map((p) => p.name).join('、')}。${notFound}，只需重新输入${missing.length > 1 ? '这几位' : '这一位'}的姓名；不需要了请回复“完成”。`,
      };
    },
    format: (value) => value.map((p) => p.name).join('、'),
  };
}
