import { dialogue, step } from '../src/conversation/dialogue';
import { choice, text } from '../src/conversation/fields/basic';
import type { InspectionData } from '../src/domain/adjustment/caseRecords';
import { CARVE_OUT_TEXT, CARVE_OUTS, type CarveOut } from '../src/domain/adjustment/policy';
import type { Services } from '../src/services';

const CONFIRMED = '情况属实，进入提出建议';
const UNFOUNDED = '经核实不属于不适宜担任现职，不予调整';
const FINDINGS = [CONFIRMED, UNFOUNDED, ...Object.values(CARVE_OUTS).map((c) => `${c}，按有关规定办理`)];

/** What the card or command that starts it fills in. */
interface Prefill {
  caseId: number;
  caseNumber: string;
  cadreName: string;
}

/**
 * 考察核实 (能上能下办法 第十二条), the first stage of an adjustment case: what the inspection found.
 * A 第五条 matter found here stops the case as at opening. Prefilled: caseId, caseNumber, cadreName.
 */
export const adjustmentInspection = dialogue<Services, Prefill>()({
  name: 'adjustmentInspection',
  version: 1,
  title: '考察核实',
  triggers: [],
  intro: (v) => `${v.caseNumber} ${v.cadreName}：考察核实（《能上能下办法》第十二条）。`,

  steps: [
    step('summary', '考察核实情况', text('请写明考察核实的方式和情况（谈话了解、查阅资料、听取意见等）。', { min: 10, max: 2000 })),
    step('finding', '核实结论', choice('核实的结论是？', FINDINGS), { basis: `《能上能下办法》第五条：“${CARVE_OUT_TEXT}”。` }),
  ],

  async submit(values, { person, draftId, channel, services }) {
    const finding = values.finding;
    const carveOut = (Object.keys(CARVE_OUTS) as CarveOut[]).find((k) => finding.startsWith(CARVE_OUTS[k]));
    const data: InspectionData = { finding: carveOut ? 'carve-out' : finding === CONFIRMED ? 'confirmed' : 'unfounded', carveOut, summary: values.summary };
    const { messages } = await services.adjustmentCases.advance({ caseId: values.caseId, stage: 'inspection', data, draftKey: draftId, actor: person, channel });
    return { recordRef: `${values.caseNumber}-inspection`, receipt: messages };
  },
});
