import { describe, expect, expectTypeOf, it } from 'vitest';
import { answerOf, dialogue, step, type Answers } from '../../src/conversation/dialogue';
import { choice, text, wholeNumber, yesNo } from '../../src/conversation/fields/basic';
import { verdictSteps } from '../../src/conversation/fields/verdict';
import type { Services } from '../../src/services';

/**
 * A dialogue's answers are typed by its steps. These expectations are types: `npx tsc --noEmit`
 * (which includes test/) fails when one of them stops holding, and each `@ts-expect-error` fails
 * it when the mistake it marks would compile again.
 */

const steps = [
  step('unit', '单位', text('哪个单位？', { min: 2, max: 20 })),
  step('times', '次数', wholeNumber('几次？', { min: 1, max: 12 }), { when: (v) => v.unit !== undefined }),
  step('agreed', '是否同意', yesNo('同意吗？')),
  step('remarks', '备注', text('备注？', { max: 100, optional: true })),
  step('kind', '类别', choice('哪一类？', ['思想', '工作'] as const)),
] as const;

describe('a dialogue’s answers, typed by its steps', () => {
  it('each answer has its field’s type; one asked only sometimes, or skippable, may be null', () => {
    expectTypeOf<Answers<typeof steps>>().toEqualTypeOf<{
      unit: string;
      times: number | null;
      agreed: boolean;
      remarks: string | null;
      kind: '思想' | '工作';
    }>();
  });

  it('a renamed step, a changed field or a prefilled value not declared is a compile error in submit', () => {
    const declared = dialogue<Services, { caseNumber: string }>()({
      name: 'typeFixture',
      version: 1,
      title: '类型示例',
      triggers: [],
      steps,
      async submit(values) {
        // @ts-expect-error `unit` is a string: a step changed to a number field would not compile here.
        const count: number = values.unit;
        // @ts-expect-error a step renamed from `agreed` leaves no `agree` to read.
        const agree: boolean = values.agree;
        // @ts-expect-error `times` is asked only sometimes: it may be null.
        const times: number = values.times;
        // @ts-expect-error only the options of the choice can arrive.
        const other: typeof values.kind = '其他';
        // @ts-expect-error the prefill declares caseNumber, nothing else.
        const stage: number = values.stageId;
        return { recordRef: `${values.caseNumber}-${count}-${agree}-${times}-${other}-${stage}`, receipt: [] };
      },
    });
    expect(declared.steps.map((s) => s.key)).toEqual(['unit', 'times', 'agreed', 'remarks', 'kind']);
  });

  it('the verdict steps a finding shares keep their types in the dialogue that spreads them', () => {
    const finding = [...verdictSteps({ verdict: '结论？', outcomes: '' }), step('opinion', '意见', text('意见？', { min: 2, max: 100 }))] as const;
    expect(finding.map((s) => s.key)).toEqual(['conclusion', 'outcomes', 'part', 'opinion']);
    expectTypeOf<Answers<typeof finding>['conclusion']>().toEqualTypeOf<string>();
    expectTypeOf<Answers<typeof finding>['part']>().toEqualTypeOf<string | null>();
    expectTypeOf<Answers<typeof finding>>().not.toHaveProperty('stageId');
  });

  it('a later step reads an earlier answer through that step, typed', () => {
    const unitStep = steps[0];
    expectTypeOf(answerOf({ unit: '经济发展局' }, unitStep)).toEqualTypeOf<string | undefined>();
    expect(answerOf({ unit: '经济发展局' }, unitStep)).toBe('经济发展局');
    expect(answerOf({}, unitStep)).toBeUndefined();
  });

  it('a step declared twice is refused when the dialogue is declared', () => {
    expect(() =>
      dialogue<Services>()({ name: 'twice', version: 1, title: '重复', triggers: [], steps: [steps[0], steps[0]], submit: async () => ({ recordRef: '', receipt: [] }) }),
    ).toThrow('dialogue twice: step unit is declared twice');
  });
});
