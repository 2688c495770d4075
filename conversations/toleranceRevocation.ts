import { dialogue, step } from '../src/conversation/dialogue';
import { choice, text } from '../src/conversation/fields/basic';
import { REVOCATION_REASONS } from '../src/domain/tolerance/policy';
import { onlyFor } from '../src/conversation/shared';
import type { Services } from '../src/services';

/**
 * 撤销容错: a 纪（工）委 member reopens a concluded request (granted or refused) and restarts
 * accountability; the 严肃处理 result is recorded later. 依据《容错细则》第十条 工作纪律.
 */
export const toleranceRevocation = dialogue<Services>()({
  name: 'toleranceRevocation',
  version: 2,
  title: '撤销容错免责认定',
  triggers: ['撤销容错'],
  refuse: onlyFor('disciplineMember', '只有纪（工）委的同志可以撤销容错免责认定（《容错细则》第十条）。'),
  intro:
    '依据《容错细则》第十条，发现下列情形之一的，“重新启动问责程序，依纪依法严肃处理”。已办结的申请（予以或不予容错免责）均可撤销原结论，' +
    '原结论和撤销记录都会保留；严肃处理的结果之后在待办中登记。',

  steps: [
    step('caseNumber', '申请编号', text('请输入要撤销结论的容错免责申请编号，例如：RC2026-0001。', { min: 6, max: 20 })),
    step('reason', '撤销理由', choice('属于《容错细则》第十条的哪种情形？', REVOCATION_REASONS), { basis: '《容错细则》第十条' }),
    step('description', '情况说明', text('请说明发现的具体情况。', { min: 10, max: 2000 })),
  ],

  async submit(values, { person, channel, services }) {
    const number = values.caseNumber.trim().toUpperCase();
    const message = await services.tolerance.revoke(number, person, REVOCATION_REASONS.indexOf(values.reason), values.description, channel);
    return { recordRef: `${number}-revoked`, receipt: [{ kind: 'text', text: message }] };
  },
});
