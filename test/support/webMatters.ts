import type { AccountabilityMatter } from '../../src/domain/tolerance/matters';
import type { CaseRecord } from '../../src/domain/workflow/types';
import type { WebStack } from './webStack';

export interface SampleMatters {
  /** On 邓丽 (西城村, 利港街道), opened by 梁红; found 失实 since, by the 澄清正名 `clearance`. */
  village: AccountabilityMatter;
  /** On 杨帆 (经济发展局综合科), opened by 吴海燕 (开发区纪工委) on 2026-09-10: open. */
  office: AccountabilityMatter;
  /** On 经济发展局 itself, opened by 吴海燕 on 2025-12-01: open. */
  bureau: AccountabilityMatter;
  /** 梁红's 澄清正名 for 邓丽, from `village`. */
  clearance: CaseRecord;
}

/** 问责事项 of two territories and a 澄清正名, recorded through the use cases the import and the chat use. */
export async function fileSampleMatters(stack: WebStack): Promise<SampleMatters> {
  const { roster, matters, clearance } = stack.bot.services;
  const person = async (code: string) => (await roster.personByCode(code))!;
  const jg03 = (await roster.units()).find((u) => u.code === 'JG03')!;
  const open = async (key: string, subject: { personId?: number; unitId?: number }, summary: string, openedOn: string, by: string) =>
    (await matters.open({ draftKey: key, subjectPersonId: subject.personId ?? null, subjectUnitId: subject.unitId ?? null, summary, openedOn, openedBy: await person(by), channel: 'import' })).matter;
  const dengLi = await person('P029');
  const village = await open('web-matter-1', { personId: dengLi.id }, '反映西城村集体资产出租不规范', '2026-11-05', 'P024');
  const office = await open('web-matter-2', { personId: (await person('P014')).id }, '滨江项目征地补偿款拨付迟缓', '2026-09-10', 'P009');
  const bureau = await open('web-matter-3', { unitId: jg03.id }, '经济发展局项目审批超时', '2025-12-01', 'P009');
  const { record } = await clearance.open({
    draftKey: 'web-clearance-1', openedBy: await person('P024'), cadreId: dengLi.id, matterId: village.id,
    accusation: '反映其出租集体资产收取好处费', conclusion: '经查，举报不实', impact: '在村内造成一定负面影响', channel: 'simulator',
  });
  return { village: (await matters.get(village.id))!, office, bureau, clearance: record };
}
