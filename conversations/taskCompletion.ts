import { dialogue, step } from '../src/conversation/dialogue';
import { text } from '../src/conversation/fields/basic';
import type { Services } from '../src/services';

/** 办结: whoever a follow-up task (执行反馈, 纠错, 报备) went to records what was done. Prefilled: taskId, taskTitle. */
export const taskCompletion = dialogue<Services, { taskId: number; taskTitle: string }>()({
  name: 'taskCompletion',
  version: 1,
  title: '待办办结',
  triggers: [],
  intro: (v) => `办结待办：${v.taskTitle}`,

  steps: [step('note', '办理情况', text('请简要说明办理情况（如执行时间、公开范围、报备文号、整改措施）。', { min: 4, max: 2000 }))],

  async submit(values, { person, channel, services }) {
    // An 归档 task also produces and checks the case's package.
    const message = await services.archives.completeTask(values.taskId, person, values.note, channel);
    return { recordRef: `task-${values.taskId}`, receipt: [{ kind: 'text', text: message }] };
  },
});
