import { dialogue, step } from '../src/conversation/dialogue';
import { choice, choices, text } from '../src/conversation/fields/basic';
import { EXEMPTIONS, item, SIX_LOOKS } from '../src/domain/tolerance/policy';
import type { Services } from '../src/services';

const GRANT = '予以容错免责';
const REFUSE = '不予容错免责';

const finding = (look: (typeof SIX_LOOKS)[number]) =>
  step(look.key, look.title, text(`${look.title}：${look.question}请写明核实情况。`, { min: 4, max: 1000 }), {
    basis: `《容错细则》第四条“六看”：${look.title}，${look.question}`,
  });

/**
 * 调查核实: the 属地纪（工）委 investigator records a finding for each of the 六看 of 第四条,
 * the conclusion, and which outcomes of 第七条 it proposes. Prefilled: stageId, caseNumber.
 */
export const toleranceInvestigation = dialogue<Services>({
  name: 'toleranceInvestigation',
  version: 1,
  title: '容错免责调查核实',
  triggers: [],
  intro: (v) =>
    `开始核实 ${v.caseNumber as string}。${(v.citation as string | undefined) ?? ''}` +
    '请坚持“三个区分开来”，按《容错细则》第四条“六看”逐项记录核实情况，最后给出认定意见。',

  steps: [
    ...SIX_LOOKS.map(finding),
    step('conclusion', '认定结论', choice('综合“六看”，认定结论是？', [GRANT, REFUSE])),
    step('exemptions', '建议的容错免责处理', choices('建议作哪些容错免责处理？可多选（第七条，可单独或综合使用）。', EXEMPTIONS, item), {
      when: (v) => v.conclusion === GRANT,
      basis: '《容错细则》第七条 容错激励',
    }),
    step('opinion', '纪（工）委意见', text('请填写纪（工）委意见，将写入审批表。', { min: 4, max: 1000 })),
  ],

  async submit(values, { person, channel, services }) {
    const granted = values.conclusion === GRANT;
    const message = await services.workflow.decide({
      stageId: values.stageId as number,
      actor: person,
      decision: granted ? 'approve' : 'reject',
      opinion: values.opinion as string,
      findings: {
        sixLooks: Object.fromEntries(SIX_LOOKS.map((l) => [l.title, values[l.key]])),
        conclusion: values.conclusion,
        outcome: granted ? { exemptions: values.exemptions } : null,
      },
      channel,
    });
    return { recordRef: values.caseNumber as string, receipt: [{ kind: 'text', text: message }] };
  },
});
