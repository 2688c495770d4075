import { dialogue, step } from '../src/conversation/dialogue';
import { bound, choice, choices, date, place, text } from '../src/conversation/fields/basic';
import { people } from '../src/conversation/fields/people';
import { TALK_KINDS } from '../src/domain/talks/talkRecords';
import type { Services } from '../src/services';

const TOPICS = ['思想', '工作', '生活', '廉洁', '其他'];

/**
 * 记录谈话: a leader logs one heart-to-heart talk.
 * 依据《激励办法》第十一条（四）（年度谈心谈话）和《能上能下办法》第十四条（被调整干部谈话）。
 */
/**
 * Prefilled by a reminder card (the talkee and the kind) or by a 约谈提醒 task (its id, and the
 * date of the grant the talk follows).
 */
interface Prefill {
  taskId?: number;
  grantedOn?: string;
}

export const talkLog = dialogue<Services, Prefill>()({
  name: 'talkLog',
  version: 1,
  title: '谈心谈话记录',
  triggers: ['记录谈话', '谈心谈话'],
  intro:
    '好的，我们来记录一次谈心谈话（依据《激励办法》第十一条（四）、《能上能下办法》第十四条）。' +
    '谈话内容保密，只有您本人、对方的上级领导和党群工作部可以查看。',

  steps: [
    step('talkees', '谈话对象', people('这次和谁谈的话？请输入姓名，多人用顿号隔开。'), {
      basis: '《激励办法》第十一条（四）：主要领导每年与班子成员、下属部门主要负责人至少谈心谈话1次；分管领导每年与分管部门负责人、工作人员至少谈心谈话1次。',
    }),
    // A 约谈提醒 follows the grant it is part of (第八条（一）): it cannot predate it.
    step('talkedOn', '谈话日期', date('哪天谈的？', { notFuture: true, quick: true, earliest: (v) => bound(v.grantedOn, '批复日期') })),
    step('place', '谈话地点', place('在哪里谈的？', { max: 100, example: '党群工作部办公室' })),
    step('kind', '谈话类型', choice('这次谈话属于哪一类？', TALK_KINDS), {
      basis: '被调整干部谈话见《能上能下办法》第十四条；约谈提醒见《容错细则》第八条（一）。',
    }),
    step('topics', '谈话主题', choices('主要谈了哪些方面？可多选。', TOPICS)),
    step('summary', '谈话内容摘要', text('请简要记录谈话的主要内容。', { min: 10, max: 2000, example: '交流了近期项目推进中的思想顾虑……' })),
    step('issuesRaised', '反映的问题或诉求', text('对方反映了哪些问题或诉求？', { optional: true, max: 1000 })),
    step('followUps', '需跟进的事项', text('有哪些需要后续跟进落实的事项？', { optional: true, max: 1000 })),
  ],

  async submit(values, { person, draftId, channel, now, services }) {
    const { talkees } = values;
    const record = await services.talks.record({
      draftKey: draftId,
      talkerId: person.id,
      talkeeIds: talkees.map((t) => t.id),
      talkedOn: values.talkedOn,
      kind: values.kind,
      place: values.place,
      topics: values.topics.map((i) => TOPICS[i]),
      summary: values.summary,
      issuesRaised: values.issuesRaised,
      followUps: values.followUps,
      channel,
    });
    // Logged as the follow-up of a granted 容错 (第八条（一）约谈提醒): that task is done with it.
    const taskDone = values.taskId !== undefined ? [await services.workflow.completeTask(values.taskId, person, `已约谈，谈话记录 ${record.number}`, channel)] : [];
    return {
      recordRef: record.number,
      receipt: [
        {
          kind: 'text',
          text: `已保存谈话记录（编号 ${record.number}）：${record.talkedOn} 与 ${talkees.map((t) => t.name).join('、')} 的${record.kind}。`,
        },
        ...(await services.quotas.receipt(person.id, now)),
        ...taskDone.map((text) => ({ kind: 'text' as const, text })),
      ],
    };
  },
});
