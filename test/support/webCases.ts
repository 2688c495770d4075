import { SIX_LOOKS } from '../../src/domain/tolerance/policy';
import type { StageEntry } from '../../src/domain/workflow/record';
import type { CaseRecord } from '../../src/domain/workflow/types';
import type { WebStack } from './webStack';

export interface SampleCases {
  /** 邓丽 (西城村), waiting on 曹国庆's 所在单位党组织意见 since 2026-11-02. */
  atUnit: CaseRecord;
  /** 邓丽 again, agreed by 曹国庆, waiting on 梁红 (利港街道纪工委) since 2026-11-03. */
  atDiscipline: CaseRecord;
  /** 邓丽's third, granted on 2026-10-12: its 报备 and other tasks are past their 建议办理期限 by 2026-11-27. */
  granted: CaseRecord;
  /** 杨帆 (经济发展局综合科), waiting on 刘洋 since 2026-09-15. */
  office: CaseRecord;
}

const at = (date: string) => new Date(`${date}T02:00:00.000Z`);
const agree: StageEntry = { kind: 'opinion', stance: 'agree', opinion: '同意。' };
const grant: StageEntry = {
  kind: 'finding', verdict: 'grant', opinion: '经调查核实，符合第五条情形。', outcomes: [0, 2],
  criteria: SIX_LOOKS.map((l) => ({ key: l.key, title: l.title, finding: '经核实无问题。' })),
};
const approve: StageEntry = { kind: 'approval', stance: 'agree', opinion: '同意。' };

/**
 * 容错免责 requests for the console to show, filed and decided through the workflow the chat uses,
 * on dates in the past so that they have waited: the clock is put back where it was afterwards.
 */
export async function fileSampleCases(stack: WebStack): Promise<SampleCases> {
  const { roster, tolerance, workflow, cases } = stack.bot.services;
  const person = async (code: string) => (await roster.personByCode(code))!;
  const back = stack.clock.now();
  let n = 0;
  const apply = async (code: string, matterText: string, integrated: boolean, on: string) => {
    stack.clock.set(at(on));
    return (await tolerance.apply({
      draftKey: `web-case-${++n}`, applicant: await person(code), matterId: null, matterText, situations: [1], otherSituation: null,
      reason: '为推进项目按期完成，先行采取了措施，后因客观原因造成损失。', handedDown: false, involvesCityCadre: false, integrated, filingId: null, attachments: [], channel: 'simulator',
    })).record;
  };
  const decide = async (c: CaseRecord, code: string, entry: StageEntry, on: string) => {
    stack.clock.set(at(on));
    const [stage] = (await cases.stages(c.id)).filter((s) => s.status === 'pending');
    await workflow.decide({ stageId: stage.id, actor: await person(code), entry, channel: 'simulator' });
  };

  const office = await apply('P014', '滨江项目征地补偿问题被启动问责', false, '2026-09-15');
  const granted = await apply('P029', '西城村土地流转问题被纪工委启动问责', true, '2026-10-09');
  await decide(granted, 'P028', agree, '2026-10-09');
  await decide(granted, 'P024', grant, '2026-10-10');
  await decide(granted, 'P021', approve, '2026-10-11');
  await decide(granted, 'P001', approve, '2026-10-12');
  const atUnit = await apply('P029', '西城村道路硬化工程进度问题', true, '2026-11-02');
  const atDiscipline = await apply('P029', '西城村集体资产出租问题', true, '2026-11-02');
  await decide(atDiscipline, 'P028', agree, '2026-11-03');
  stack.clock.set(back);
  return { atUnit, atDiscipline, granted: (await cases.get(granted.id))!, office };
}
