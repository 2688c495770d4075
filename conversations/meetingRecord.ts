import { dialogue, step } from '../src/conversation/dialogue';
import { attachments } from '../src/conversation/fields/attachments';
import { date, text } from '../src/conversation/fields/basic';
import { verdictOfValues, verdictSteps, type VerdictPrefill } from '../src/conversation/fields/verdict';
import { splitList } from '../src/conversation/parse/numbers';
import { decideStage } from '../src/conversation/shared';
import type { Services } from '../src/services';

/** What the card or command that starts it fills in. */
interface Prefill extends VerdictPrefill {
  stageId: number;
  caseNumber: string;
  stageTitle: string;
}

/**
 * 集体研究: the 党（工）委 records the meeting at which it studied a city-level matter: when, who
 * attended, the 明确意见 it reached (and the outcomes it proposes), and the minutes.
 * 依据《容错细则》第六条（一）4、（二）3. Prefilled: stageId, caseNumber, stageTitle, verdicts, outcomeLabels.
 */
export const meetingRecord = dialogue<Services, Prefill>()({
  name: 'meetingRecord',
  version: 1,
  title: '集体研究登记',
  triggers: [],
  intro: (v) => `登记 ${v.caseNumber} 的${v.stageTitle}：会议日期、参加人员、提出的明确意见和会议纪要都将写入审批表和呈报件。`,

  steps: [
    step('heldOn', '会议日期', date('集体研究的会议是哪天召开的？', { notFuture: true, quick: true })),
    step('attendees', '参加人员', text('参加会议的有哪些人？请写姓名，用顿号隔开。', { min: 2, max: 500, example: '陈建国、李明华、周志强、吴海燕' })),
    ...verdictSteps({ verdict: '会议提出的明确意见是？', outcomes: '建议作哪些处理？可多选。' }),
    step('opinion', '意见内容', text('请写明会议的明确意见，将写入审批表和呈报件。', { min: 4, max: 2000 })),
    step('minutes', '会议纪要', attachments('请发送会议纪要（文件或图片），发完回复“完成”。', { required: true })),
  ],

  async submit(values, ctx) {
    return decideStage(values, ctx, {
      kind: 'meeting',
      heldOn: values.heldOn,
      attendees: splitList(values.attendees),
      ...verdictOfValues(values),
      opinion: values.opinion,
      minutes: values.minutes,
    });
  },
});
