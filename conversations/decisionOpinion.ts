import { dialogue, step } from '../src/conversation/dialogue';
import { text } from '../src/conversation/fields/basic';
import type { StageEntry } from '../src/domain/workflow/record';
import type { StageKind } from '../src/domain/workflow/types';
import { decideStage } from '../src/conversation/shared';
import type { Services } from '../src/services';

type Op = 'approve' | 'reject' | 'return';
const WORDS: Record<Op, string> = { approve: '同意', reject: '不同意', return: '退回补充' };

/**
 * 审批意见: after an approver taps 同意, 不同意 or 退回补充 on an opinion or 会审 card, or 签署意见
 * on a 签署 card. It counts only with an opinion, which is written into the stage's row of the
 * paper form. An opinion is recorded whatever it says: the case moves on either way.
 * Prefilled: stageId, decision (the op tapped), stageKind, caseNumber, stageTitle.
 */
interface Prefill {
  stageId: number;
  decision: Op;
  stageKind: StageKind;
  caseNumber: string;
  stageTitle: string;
}

export const decisionOpinion = dialogue<Services, Prefill>()({
  name: 'decisionOpinion',
  version: 2,
  title: '审批意见',
  triggers: [],
  intro: (v) =>
    v.stageKind === 'signature'
      ? `请对 ${v.caseNumber} 签署意见（${v.stageTitle}）。确认后才会生效。`
      : `您对 ${v.caseNumber}（${v.stageTitle}）选择了“${WORDS[v.decision]}”。填写意见并确认后才会生效。`,

  steps: [
    step('opinion', '意见', text('请填写您的意见，将写入本环节的意见栏。', { min: 2, max: 1000, example: '情况属实，同意报纪工委调查核实。' }), {
      when: (v) => v.decision !== 'return',
    }),
    step('question', '需补充的内容', text('请写明需要申请人补充说明或提供的材料。', { min: 5, max: 1000 }), {
      when: (v) => v.decision === 'return',
    }),
  ],

  async submit(values, ctx) {
    const opinion = values.opinion ?? '';
    const stance = values.decision === 'approve' ? 'agree' : 'disagree';
    const kind = values.stageKind;
    const entry: StageEntry =
      values.decision === 'return'
        ? { kind: 'return', question: values.question ?? '' }
        : kind === 'signature'
          ? { kind: 'signature', opinion }
          : kind === 'jointReview'
            ? { kind: 'jointReview', stance, opinion, reviews: [] }
            : { kind: 'opinion', stance, opinion };
    return decideStage(values, ctx, entry);
  },
});
