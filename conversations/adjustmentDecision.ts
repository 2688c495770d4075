import { dialogue, step, type Values } from '../src/conversation/dialogue';
import { choice, date, text, yesNo } from '../src/conversation/fields/basic';
import { EARLY_RETIREMENT_TEXT, WAYS, type Way } from '../src/domain/adjustment/policy';
import type { Services } from '../src/services';

const AS_PROPOSED = '同意建议，予以调整';
const OTHER_WAY = '改为其他调整方式';
const NOT_ADJUSTED = '不予调整';
const adjusting = (v: Values) => v.outcome !== NOT_ADJUSTED;

/** What the stage's card fills in: the proposal made at 提出建议. */
interface Prefill {
  stageId: number;
  caseNumber: string;
  cadreName: string;
  proposedWay?: Way;
  authority?: string;
}

/**
 * 组织决定 (能上能下办法 第十二条), as 组织人事部门 records it: whether and how the cadre is
 * adjusted, from when, by whose decision, and the two facts 第十三条 turns on — adjusted 因不适宜
 * 担任现职 (the influence period) and an early retirement for personal reasons.
 */
export const adjustmentDecision = dialogue<Services, Prefill>()({
  name: 'adjustmentDecision',
  version: 2,
  title: '组织决定',
  triggers: [],
  intro: (v) => `${v.caseNumber} ${v.cadreName}：组织决定（《能上能下办法》第十二条）。${v.proposedWay ? `建议为：${v.authority ?? ''}，${v.proposedWay}。` : ''}`,

  steps: [
    step('outcome', '决定', choice('组织决定是？', [AS_PROPOSED, OTHER_WAY, NOT_ADJUSTED])),
    step('way', '调整方式', choice('决定采取哪种调整方式？', WAYS), { when: (v) => v.outcome === OTHER_WAY || v.proposedWay === undefined }),
    step('effectiveOn', '生效日期', date('调整决定哪天生效？', { quick: true }), { when: adjusting }),
    step('decidedBy', '决定机关及文号', text('请写明作出决定的机关、会议或文号。', { min: 4, max: 200, example: '临港开发区党工委会议 2026年第12次' })),
    step('unsuitable', '因不适宜担任现职', yesNo('是否经组织认定因不适宜担任现职而调整？'), {
      when: adjusting,
      basis: '《能上能下办法》第十三条：因不适宜担任现职调离岗位、免职的，一年内不得提拔；引咎辞职、责令辞职的，两年内不得担任高于原职务层次的职务；降职的，两年内不得提拔或推荐提拔。',
    }),
    step('earlyRetirement', '申请提前退休', yesNo('本人是否因个人原因（非身体原因）申请提前退休？'), {
      when: adjusting,
      basis: `《能上能下办法》第十三条：“${EARLY_RETIREMENT_TEXT}”。`,
    }),
  ],

  async submit(values, { person, channel, services }) {
    const adjust = values.outcome !== NOT_ADJUSTED;
    const decision = {
      adjust,
      way: adjust ? (values.way ?? values.proposedWay) : undefined,
      effectiveOn: values.effectiveOn ?? undefined,
      decidedBy: values.decidedBy,
      unsuitable: values.unsuitable ?? undefined,
      earlyRetirement: values.earlyRetirement ?? undefined,
    };
    const { text: said } = await services.adjustment.decide(values.stageId, person, decision, channel);
    return { recordRef: `${values.caseNumber}-decision`, receipt: [{ kind: 'text', text: said }] };
  },
});
