import { dialogue, step } from '../src/conversation/dialogue';
import { choice, text } from '../src/conversation/fields/basic';
import type { Inspection } from '../src/domain/adjustment/adjustmentService';
import { CARVE_OUT_TEXT, CARVE_OUTS, type CarveOut } from '../src/domain/adjustment/policy';
import type { Services } from '../src/services';

/** The conclusions 考察核实 may reach, as the choice words them. */
const FINDINGS: Record<string, Inspection['verdict']> = {
  '情况属实，进入提出建议': 'confirmed',
  '经核实不属于不适宜担任现职，不予调整': 'unfounded',
  ...Object.fromEntries((Object.keys(CARVE_OUTS) as CarveOut[]).map((k) => [`${CARVE_OUTS[k]}，按有关规定办理`, k])),
};

/** What the stage's card fills in. */
interface Prefill {
  stageId: number;
  caseNumber: string;
  cadreName: string;
}

/**
 * 考察核实 (能上能下办法 第十二条), the first stage of an adjustment case: what the inspection found.
 * Nothing to adjust, or a 第五条 matter, ends the case here. (Its conclusion is `result`: the card's
 * prefill already carries a `finding`, the conclusion an approver would be shown.)
 */
export const adjustmentInspection = dialogue<Services, Prefill>()({
  name: 'adjustmentInspection',
  version: 2,
  title: '考察核实',
  triggers: [],
  intro: (v) => `${v.caseNumber} ${v.cadreName}：考察核实（《能上能下办法》第十二条）。`,

  steps: [
    step('summary', '考察核实情况', text('请写明考察核实的方式和情况（谈话了解、查阅资料、听取意见等）。', { min: 10, max: 2000 })),
    step('result', '核实结论', choice('核实的结论是？', Object.keys(FINDINGS)), { basis: `《能上能下办法》第五条：“${CARVE_OUT_TEXT}”。` }),
  ],

  async submit(values, { person, channel, services }) {
    const { text: said } = await services.adjustment.inspect(values.stageId, person, { verdict: FINDINGS[values.result], summary: values.summary }, channel);
    return { recordRef: `${values.caseNumber}-inspection`, receipt: [{ kind: 'text', text: said }] };
  },
});
