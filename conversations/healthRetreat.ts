import { dialogue, step } from '../src/conversation/dialogue';
import { bound, choice, date } from '../src/conversation/fields/basic';
import { people } from '../src/conversation/fields/people';
import { onlyFor } from '../src/conversation/shared';
import type { Services } from '../src/services';

const ZONE = '本区健康休养';
const HIGHER = '参加上级健康休养';

/**
 * 登记健康休养 (激励办法 第十一条（五）): 党群工作部 records a 健康休养 of someone on the confirmed
 * list (counted in working days on the zone's calendar, at most seven), or that someone took part
 * in a higher level's, which leaves them off the zone's list that year.
 */
export const healthRetreat = dialogue<Services>()({
  name: 'healthRetreat',
  version: 1,
  title: '健康休养登记',
  triggers: ['登记健康休养', '健康休养登记'],
  refuse: onlyFor('partyAffairsAdmin', '健康休养由党群工作部登记（《激励办法》第十一条（五））。'),
  intro: '登记一次健康休养（《激励办法》第十一条（五）：健康休养时间不超过7天（按工作日计算，不计入年休假假期））。',

  steps: [
    step('cadre', '人员', people('请输入参加健康休养人员的姓名。', { single: true, allowSelf: true })),
    step('kind', '类别', choice('是本区组织的健康休养，还是参加上级健康休养？', [ZONE, HIGHER]), {
      basis: '《激励办法》第十一条（五）：“当年参加上级健康休养人员除外”。',
    }),
    step('from', '开始日期', date('从哪天开始？', { latest: (v) => bound(v.to, '结束日期') })),
    step('to', '结束日期', date('到哪天结束（含当天）？', { earliest: (v) => bound(v.from, '开始日期') })),
  ],

  async submit(values, { person, draftId, channel, services }) {
    const [cadre] = values.cadre;
    const who = (await services.roster.person(cadre.id))!;
    const isAdmin = await services.roster.holdsAnyRole(person.id, 'partyAffairsAdmin');
    const message = await services.incentives.recordRetreat({
      draftKey: draftId, person: who, kind: values.kind === HIGHER ? 'higher' : 'zone', from: values.from, to: values.to, actor: person, channel, isAdmin,
    });
    return { recordRef: `retreat-${draftId}`, receipt: [{ kind: 'text', text: message }] };
  },
});
