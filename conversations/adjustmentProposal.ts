import { dialogue, step } from '../src/conversation/dialogue';
import { choice, text } from '../src/conversation/fields/basic';
import type { Authority } from '../src/domain/adjustment/definition';
import { WAYS } from '../src/domain/adjustment/policy';
import type { Services } from '../src/services';

const AUTHORITIES: Record<string, Authority> = { '予以调整（本级管理权限）': 'adjust', '建议上级调整': 'suggest' };

/** What the stage's card fills in; `prescribed` when the cause names its own measure (第八条（五）–（九）). */
interface Prefill {
  stageId: number;
  caseNumber: string;
  cadreName: string;
  prescribed?: string;
}

/**
 * 提出建议 (能上能下办法 第十二条): the way of adjustment proposed (第五条, or the measure a 第八条
 * item prescribes) and whether, by 干部管理权限, the zone adjusts or proposes to the level above.
 */
export const adjustmentProposal = dialogue<Services, Prefill>()({
  name: 'adjustmentProposal',
  version: 2,
  title: '提出建议',
  triggers: [],
  intro: (v) => `${v.caseNumber} ${v.cadreName}：提出建议（《能上能下办法》第十二条）。${v.prescribed ? `该条规定的处理为：${v.prescribed}。` : ''}`,

  steps: [
    step('way', '调整方式', choice('建议采取哪种调整方式？', WAYS), { basis: '《能上能下办法》第五条：调整方式包括调离岗位、免职、引咎辞职、责令辞职、降职等。' }),
    step('authority', '管理权限', choice('按干部管理权限，是本级予以调整，还是建议上级调整？', Object.keys(AUTHORITIES))),
    step('opinion', '建议意见', text('请写明调整建议及理由。', { min: 10, max: 2000 })),
  ],

  async submit(values, { person, channel, services }) {
    const proposal = { way: values.way, authority: AUTHORITIES[values.authority], opinion: values.opinion };
    const { text: said } = await services.adjustment.propose(values.stageId, person, proposal, channel);
    return { recordRef: `${values.caseNumber}-proposal`, receipt: [{ kind: 'text', text: said }] };
  },
});
