import { dialogue, step } from '../src/conversation/dialogue';
import { choice, date, text } from '../src/conversation/fields/basic';
import { people, type PersonRef } from '../src/conversation/fields/people';
import { ADJUSTMENT_KINDS, INFLUENCE, type AdjustmentKind } from '../src/domain/talks/adjustments';
import type { Services } from '../src/services';

/**
 * 登记干部调整: 组织人事部门 or 党群工作部 records that a cadre was adjusted. The influence period
 * follows from the kind (《能上能下办法》第十三条), and the cadre's party secretary then owes
 * regular talks with them until it ends (第十四条).
 */
export const cadreAdjustment = dialogue<Services>({
  name: 'cadreAdjustment',
  version: 1,
  title: '干部调整登记',
  triggers: ['登记干部调整', '干部调整'],
  async refuse({ person, services }) {
    if (await services.roster.holdsAnyRole(person.id, 'personnelOfficer', 'partyAffairsAdmin')) return undefined;
    return '干部调整由组织人事部门或党群工作部登记（《能上能下办法》第十三、十四条）。如需登记请联系党群工作部。';
  },
  intro:
    '好的，登记一名被调整干部（《能上能下办法》第十三条）。登记后，其所在单位党组织书记将在影响期内定期与其谈心谈话（第十四条），系统会按期提醒。',

  steps: [
    step('cadre', '被调整干部', people('请输入被调整干部的姓名。', { single: true })),
    step('kind', '调整方式', choice('调整方式是哪一种？', ADJUSTMENT_KINDS), {
      basis: '《能上能下办法》第十三条：调离岗位、免职的，一年内不得提拔；引咎辞职、责令辞职的，两年内不得担任高于原职务层次的职务；降职的，两年内不得提拔或推荐提拔。',
    }),
    step('adjustedOn', '调整日期', date('调整决定哪天生效？', { quick: true })),
    step('note', '备注', text('如有需要说明的情况（如文号、新任职务），请简要填写。', { optional: true, max: 500 })),
  ],

  async submit(values, { person, draftId, channel, services }) {
    const [cadre] = values.cadre as PersonRef[];
    const kind = values.kind as AdjustmentKind;
    const { adjustment, secretary } = await services.adjustments.record({
      draftKey: draftId,
      personId: cadre.id,
      kind,
      adjustedOn: values.adjustedOn as string,
      note: (values.note as string | null) ?? null,
      recordedBy: person,
      channel,
    });
    const talks = secretary
      ? `已通知其所在单位党组织书记${secretary.name}在影响期内定期与其谈心谈话（第十四条）。`
      : '名册中未找到其所在单位的党组织书记，请补充名册后由书记安排谈心谈话。';
    return {
      recordRef: `adj-${adjustment.id}`,
      receipt: [
        {
          kind: 'text',
          text: `已登记：${cadre.name} ${adjustment.adjustedOn} ${kind}，影响期至 ${adjustment.endsOn}（《能上能下办法》第十三条：${INFLUENCE[kind].effect}）。${talks}`,
        },
      ],
    };
  },
});
