import { describeIntegratedMatters, type IntegratedMatters } from '../../domain/zone/zoneSettings';
import type { Field, FieldContext } from '../field';
import { yesNo } from './basic';

/**
 * Whether the matter is one of the zone's “八个一体化” matters: the question shows the zone's list
 * (an admin setting; the policy has none), and "不太清楚" is answered with what it means and why
 * it is asked. `consequence` is what the policy attaches to yes, with its article.
 */
export function integratedMatter(prompt: string, consequence: string, load: (ctx: FieldContext) => Promise<IntegratedMatters>): Field<boolean> {
  return yesNo(prompt, {
    listing: async (ctx) => describeIntegratedMatters(await load(ctx)),
    explain: async (ctx) =>
      [
        `“八个一体化”事项是本区统一推进的一体化工作事项。属于这类事项的，${consequence}，所以需要您确认。`,
        describeIntegratedMatters(await load(ctx)),
        '您的事项属于清单中的某一项，请回复“是”；都不属于，请回复“否”。拿不准的，可先咨询党群工作部。',
      ].join('\n'),
  });
}
