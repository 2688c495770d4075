import { answerOf, dialogue, step } from '../src/conversation/dialogue';
import { text } from '../src/conversation/fields/basic';
import { people } from '../src/conversation/fields/people';
import { recordChoice } from '../src/conversation/fields/recordChoice';
import { onlyFor } from '../src/conversation/shared';
import type { Services } from '../src/services';

/** The 问责事项 the accusation led to, or none (a 信访 report that led to no matter). */
type MatterAnswer = { id: number; label: string } | { id: null; label: '无' };

const cadreStep = step('cadre', '被举报人', people('请输入被举报干部的姓名。', { single: true }));

/**
 * 启动澄清正名: a 纪（工）委 member opens a 澄清正名 for a cadre an accusation against whom proved
 * false (《容错细则》第九条：受到错告诬告、经查举报失实且造成不良影响的). The cadre is then asked
 * what they wish, since the scope and manner weigh 工作需要 and 被举报人本人意愿.
 */
export const clearanceOpening = dialogue<Services>()({
  name: 'clearanceOpening',
  version: 1,
  title: '启动澄清正名',
  triggers: ['澄清正名', '启动澄清'],
  refuse: onlyFor('disciplineMember', '澄清正名由纪（工）委的同志启动（《容错细则》第九条）。'),
  intro:
    '好的，启动澄清正名（《容错细则》第九条：对受到错告诬告、经查举报失实且造成不良影响的，综合考虑工作需要和被举报人本人意愿，在一定范围内，以适当方式为干部澄清正名）。' +
    '提交后先请干部本人说明意愿，再由纪（工）委提出澄清范围和方式，报党（工）委主要负责人同意。',

  steps: [
    cadreStep,
    step(
      'matter',
      '相关问责事项',
      recordChoice<MatterAnswer>(
        '举报是否引起过问责事项？如有请选择（尚未了结的将登记为“经查失实”），没有请选最后一项。',
        async ({ services, values }) => {
          const cadre = answerOf(values, cadreStep)?.[0];
          const matters = cadre ? await services.clearance.mattersOf(cadre.id) : [];
          return [
            ...matters.map((m) => ({
              label: `${m.number} ${m.summary}${m.status === 'unfounded' ? '（已登记为经查失实）' : '（将登记为经查失实）'}`,
              value: { id: m.id, label: `${m.number} ${m.summary}` },
            })),
            { label: '无', value: { id: null, label: '无' as const } },
          ];
        },
        (m) => m.label,
      ),
    ),
    step('accusation', '举报内容', text('被举报的内容是什么？通过什么方式反映的（书信、短信、网络等）？', { min: 10, max: 2000 })),
    step('conclusion', '查核结论', text('经查核的结论是什么（错告诬告或举报失实的依据）？', { min: 10, max: 2000 }), { basis: '《容错细则》第九条：经查举报失实' }),
    step('impact', '不良影响', text('对干部造成了哪些不良影响？', { min: 5, max: 1000 }), { basis: '《容错细则》第九条：且造成不良影响的' }),
  ],

  async submit(values, { person, draftId, channel, services }) {
    const cadre = values.cadre[0];
    const { record } = await services.clearance.open({
      draftKey: draftId,
      openedBy: person,
      cadreId: cadre.id,
      matterId: values.matter.id,
      accusation: values.accusation,
      conclusion: values.conclusion,
      impact: values.impact,
      channel,
    });
    return {
      recordRef: record.number,
      receipt: [{ kind: 'text', text: `已启动澄清正名 ${record.number}，已请${cadre.name}说明本人意愿。之后请在卡片上提出澄清范围和方式。` }],
    };
  },
});
