import { dialogue, step } from '../src/conversation/dialogue';
import { text } from '../src/conversation/fields/basic';
import { verdictOfValues, verdictSteps, type VerdictPrefill } from '../src/conversation/fields/verdict';
import { SIX_LOOKS } from '../src/domain/tolerance/policy';
import { decideStage } from '../src/conversation/shared';
import type { Services } from '../src/services';

const finding = (look: (typeof SIX_LOOKS)[number]) =>
  step(look.key, look.title, text(`${look.title}：${look.question}请写明核实情况。`, { min: 4, max: 1000 }), {
    basis: `《容错细则》第四条“六看”：${look.title}，${look.question}`,
  });

/** What the card or command that starts it fills in. */
interface Prefill extends VerdictPrefill {
  stageId: number;
  caseNumber: string;
  context?: string;
}

/**
 * 调查核实: the 属地纪（工）委 investigator records a finding for each of the 六看 of 《容错细则》第四条,
 * the conclusion (予以 / 部分 / 不予容错免责) and which outcomes of 第七条 it proposes. Whatever it
 * concludes goes to the 党（工）委主要负责人 (第六条（一）4). Prefilled: stageId, caseNumber,
 * context (what the investigator should have in front of them), verdicts, outcomeLabels.
 */
export const toleranceInvestigation = dialogue<Services, Prefill>()({
  name: 'toleranceInvestigation',
  version: 2,
  title: '容错免责调查核实',
  triggers: [],
  intro: (v) =>
    `开始核实 ${v.caseNumber}。${v.context ?? ''}` +
    '请坚持“三个区分开来”，按《容错细则》第四条“六看”逐项记录核实情况，最后给出认定意见，报党（工）委主要负责人审核。',

  steps: [
    ...SIX_LOOKS.map(finding),
    ...verdictSteps({
      verdict: '综合“六看”，认定结论是？',
      outcomes: '建议作哪些容错免责处理？可多选（《容错细则》第七条：以上结果运用可单独或综合使用）。',
      basis: '《容错细则》第七条 容错激励',
    }),
    step('opinion', '纪（工）委意见', text('请填写纪（工）委意见，将写入审批表。', { min: 4, max: 1000 })),
  ],

  async submit(values, ctx) {
    return decideStage(values, ctx, {
      kind: 'finding',
      ...verdictOfValues(values),
      opinion: values.opinion,
      criteria: SIX_LOOKS.map((l) => ({ key: l.key, title: l.title, finding: values[l.key] })),
    });
  },
});
