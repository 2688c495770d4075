import { dialogue, step, type Values } from '../src/conversation/dialogue';
import { choice, text } from '../src/conversation/fields/basic';
import { people } from '../src/conversation/fields/people';
import { recordChoice } from '../src/conversation/fields/recordChoice';
import { ARTICLES, CARVE_OUT_TEXT, CARVE_OUTS, causeLabel, causeText, cn, type CarveOut, type CauseArticle } from '../src/domain/adjustment/policy';
import type { Services } from '../src/services';

/** The articles a case is opened under, as the choice shows them (all of 《能上能下办法》). */
const ARTICLE_CHOICES: Record<string, CauseArticle> = Object.fromEntries(
  ([[7, '政治表现'], [8, '考核结果'], [9, '担当作为'], [10, '履行全面从严治党责任'], [11, '领导能力、专业素养']] as const).map(([n, what]) => [`${causeLabel(n, null)} ${what}`, n]),
);
/** The article's items in full, numbered as the article numbers them, answered by number. */
const itemChoice = (article: CauseArticle) =>
  recordChoice(
    `属于第${cn(article)}条的哪一项？`,
    async () => ARTICLES[article].items.map((words, i) => ({ label: `（${cn(i + 1)}）${words}`, value: i + 1 })),
    (item: number) => `（${cn(item)}）${ARTICLES[article].items[item - 1]}`,
  );
const NO_CARVE_OUT = '都不是';
const CARVE_OUT_CHOICES = [NO_CARVE_OUT, ...Object.values(CARVE_OUTS)];

/** The article chosen, or prefilled by a trigger card (第八条). */
const articleIs = (v: Values, article: CauseArticle): boolean => (v.article ?? ARTICLE_CHOICES[String(v.articleChoice)]) === article;
const itemStep = (article: CauseArticle) =>
  step(`item${article}`, '情形', itemChoice(article), {
    when: (v) => v.item === undefined && articleIs(v, article),
    basis: `《能上能下办法》第${cn(article)}条：${ARTICLES[article].handling}。`,
  });

/** What a trigger card fills in: the trigger, the article and item, the cadre and the data. */
interface Prefill {
  triggerId?: number;
  article?: CauseArticle;
  item?: number;
}

/**
 * 立案调整: 组织人事部门 opens an adjustment case — from a 第八条 trigger card (the cadre, the item
 * and the data prefilled) or by hand under 第七、九、十、十一条, whose grounds are judgements, not
 * data. 第五条's carve-out is asked first-hand: such a case is recorded and goes no further here.
 * A card prefills the cadre and the facts as well (answers to those steps).
 */
export const adjustmentOpening = dialogue<Services, Prefill>()({
  name: 'adjustmentOpening',
  version: 2,
  title: '组织调整立案',
  triggers: ['登记干部调整', '干部调整', '立案调整'],
  async refuse({ person, services }) {
    if (await services.adjustment.mayOpen(person.id)) return undefined;
    return '组织调整由组织人事部门立案办理（《能上能下办法》第十六条：组织人事部门承担具体工作责任）。如需立案请联系组织人事部门。';
  },
  intro: (v) =>
    v.triggerId
      ? `好的，就这条预警立案（${causeText(8, v.item ?? null)}）。`
      : '好的，为一名干部立案办理组织调整（《能上能下办法》第十二条：考察核实、提出建议、组织决定、谈话）。',

  steps: [
    step('cadre', '干部', people('请输入拟调整干部的姓名。', { single: true })),
    step('articleChoice', '事由', choice('依据《能上能下办法》哪一条？', Object.keys(ARTICLE_CHOICES)), { when: (v) => v.article === undefined }),
    itemStep(7),
    itemStep(8),
    itemStep(9),
    itemStep(10),
    step('facts', '事实和依据', text('请简述事实和依据（考核数据、组织认定的情况等）。', { min: 10, max: 2000 })),
    step('carveOut', '《能上能下办法》第五条情形', choice('是否属于因健康原因调整，或涉及问责追责、违纪违法？', CARVE_OUT_CHOICES), {
      basis: `《能上能下办法》第五条：“${CARVE_OUT_TEXT}”。`,
    }),
  ],

  async submit(values, { person, draftId, channel, services }) {
    const [cadre] = values.cadre;
    const article = values.article ?? ARTICLE_CHOICES[values.articleChoice ?? ''];
    const item = values.item ?? { 7: values.item7, 8: values.item8, 9: values.item9, 10: values.item10, 11: null }[article] ?? null;
    const carveOut = (Object.keys(CARVE_OUTS) as CarveOut[]).find((k) => CARVE_OUTS[k] === values.carveOut) ?? null;
    const { record, messages } = await services.adjustment.open({
      draftKey: draftId, personId: cadre.id, article, item, facts: values.facts, triggerId: values.triggerId ?? null, carveOut, actor: person, channel,
    });
    return { recordRef: record.number, receipt: messages };
  },
});
