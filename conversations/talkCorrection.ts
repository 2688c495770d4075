import { dialogue, step } from '../src/conversation/dialogue';
import { choice, text } from '../src/conversation/fields/basic';
import { CORRECTABLE_LABELS } from '../src/domain/talks/talkCorrections';
import type { Services } from '../src/services';

/** What 更正 on a talk fills in: which record, and whether it may still be changed in place. */
interface Prefill {
  number: string;
  withinGrace: boolean;
}

/**
 * 更正谈话: the talker changes a part of their own talk record. Within the grace period the text
 * is replaced; afterwards the correction is appended and the record stays as it was.
 */
export const talkCorrection = dialogue<Services, Prefill>()({
  name: 'talkCorrection',
  version: 1,
  title: '谈话记录更正',
  triggers: [],
  intro: (v) =>
    v.withinGrace
      ? `修改谈话记录 ${v.number}：修改后原文字会被替换（修改情况留痕）。`
      : `${v.number} 已过修改期，原记录保持不变，您的更正将附在记录之后。`,

  steps: [
    step('field', '更正的内容', choice('要更正哪一部分？', CORRECTABLE_LABELS)),
    step('newValue', '更正后的文字', text('请写出更正后的文字。', { min: 2, max: 2000 })),
  ],

  async submit(values, { person, channel, services }) {
    const message = await services.talkCorrections.correct(values.number, person, values.field, values.newValue, channel);
    return { recordRef: `${values.number}-correction`, receipt: [{ kind: 'text', text: message }] };
  },
});
