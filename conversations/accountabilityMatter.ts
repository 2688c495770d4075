import { dialogue, step } from '../src/conversation/dialogue';
import { choice, date, text } from '../src/conversation/fields/basic';
import { people } from '../src/conversation/fields/people';
import { unit } from '../src/conversation/fields/units';
import { onlyFor } from '../src/conversation/shared';
import type { Services } from '../src/services';

const PERSON = '个人';
const UNIT = '单位';

/**
 * 启动问责: a 纪（工）委 member records an accountability matter; its subject is told that they
 * may apply for 容错. 依据《容错细则》第六条（一）1 启动问责、第五条. The policy has 纪检监察等部门
 * start accountability; in the bot the 纪（工）委 registers every matter, whichever department opened it.
 */
export const accountabilityMatter = dialogue<Services>()({
  name: 'accountabilityMatter',
  version: 1,
  title: '启动问责登记',
  triggers: ['启动问责', '登记问责事项'],
  refuse: onlyFor('disciplineMember', '《容错细则》第六条（一）1：“纪检监察等部门对有关事项启动问责调查”。本系统中的问责事项统一由纪（工）委的同志登记，其他部门启动的问责请告知纪（工）委登记。'),
  intro: '好的，登记一项问责事项（《容错细则》第六条（一）1 启动问责）。登记后会告知当事人可以依据第五条申请容错。',

  steps: [
    step('subjectKind', '问责对象类型', choice('问责对象是个人还是单位？', [PERSON, UNIT])),
    step('subjectPerson', '问责对象', people('请输入被问责人的姓名。', { single: true }), { when: (v) => v.subjectKind === PERSON }),
    step('subjectUnit', '问责单位', unit('请输入被问责单位的名称。'), { when: (v) => v.subjectKind === UNIT }),
    step('summary', '问责事项', text('请简要描述问责事项。', { min: 5, max: 1000 })),
    step('openedOn', '启动日期', date('哪天启动的问责调查？', { notFuture: true, quick: true })),
  ],

  async submit(values, { person, draftId, channel, services }) {
    const { matter, told } = await services.matters.open({
      draftKey: draftId,
      subjectPersonId: values.subjectPerson?.[0]?.id ?? null,
      subjectUnitId: values.subjectUnit?.id ?? null,
      summary: values.summary,
      openedOn: values.openedOn,
      openedBy: person,
      channel,
    });
    return {
      recordRef: matter.number,
      receipt: [{ kind: 'text', text: `已登记问责事项 ${matter.number}${told ? `，并已告知${told.name}可依据《容错细则》第五条申请容错` : ''}。` }],
    };
  },
});
