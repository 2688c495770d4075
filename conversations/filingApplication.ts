import { dialogue, step } from '../src/conversation/dialogue';
import { attachments } from '../src/conversation/fields/attachments';
import { bound, date, text, yesNo } from '../src/conversation/fields/basic';
import { integratedMatter } from '../src/conversation/fields/integrated';
import { recordChoice } from '../src/conversation/fields/recordChoice';
import { receiptMessages } from '../src/domain/workflow/cards';
import type { Services } from '../src/services';

/**
 * 风险备案: a unit files the risks of a reform or pilot before trying it.
 * 依据《容错细则》第六条（二）创新备案工作程序和附件2. The answers about 市管干部 (第二条第二款) and
 * 市级层面或重大事项 choose the path of 第六条（二）3, said on the receipt with why.
 */
export const filingApplication = dialogue<Services>()({
  name: 'filingApplication',
  version: 2,
  title: '改革创新风险备案',
  triggers: ['风险备案', '改革创新备案', '创新备案'],
  formHeader: true,
  intro:
    '好的，我来帮您填写《临港开发区改革创新风险备案表》（《容错细则》附件2）。' +
    '依据第六条（二）1，备案前应经所在单位党组织集体讨论并报分管领导同意；提交后经备案单位、分管领导意见，纪（工）委牵头集体会审并提出认定意见，' +
    '按管理权限报批后向申请单位党组织作出回复（第六条（二）3）。提交时会告诉您本备案的办理路径和原因。',

  steps: [
    step(
      'unit',
      '备案单位',
      recordChoice(
        '为哪个单位备案？',
        async ({ person, services }) => (await services.filing.unitsFor(person)).map((u) => ({ label: u.name, value: { id: u.id, name: u.name } })),
        (u) => u.name,
      ),
    ),
    step('title', '备案事项', text('改革或先行先试事项的名称？', { min: 4, max: 100, example: '工业用地“标准地”出让改革试点' })),
    step('reason', '备案事由', text('请说明备案事由：做什么、为什么做、实施方案要点。', { min: 20, max: 3000 }), {
      basis: '《容错细则》附件2“备案事由（计划、方案可另附）”',
    }),
    step('policyBasis', '政策依据', text('政策依据是什么？请说明为什么属于上级尚无明确限制的探索。', { min: 10, max: 1000 }), {
      basis: '《容错细则》第六条（二）1：开展上级尚无明确限制的探索性试验',
    }),
    step('risks', '存在的风险', text('存在哪些风险？请逐条写出风险及应对措施，例如：1. 风险……；应对……', { min: 10, max: 3000 }), {
      basis: '《容错细则》附件2“存在的风险（详情可另附）”',
    }),
    step('discussedOn', '集体讨论日期', date('单位党组织集体讨论是哪天？', { notFuture: true }), { basis: '《容错细则》第六条（二）1：经所在单位党组织集体讨论' }),
    step('minutes', '集体讨论会议纪要', attachments('请发送集体讨论的会议纪要（文件或图片），发完回复“完成”。')),
    step('periodStart', '实施开始日期', date('计划从哪天开始实施？', { future: true, latest: (v) => bound(v.periodEnd, '结束日期') })),
    step('periodEnd', '实施结束日期', date('计划到哪天结束？（备案在此期间有效）', { future: true, earliest: (v) => bound(v.periodStart, '开始日期') })),
    step('cityCadre', '是否涉及市管干部', yesNo('该事项是否涉及市管干部？'), {
      basis: '《容错细则》第二条第二款：涉及市管干部等范围内的容错纠错、创新备案、容错激励事项，不适用本实施细则',
    }),
    step('cityLevel', '是否市级层面或重大事项', yesNo('该事项的批准权限是否属市级层面，或属重大事项？'), {
      when: (v) => v.cityCadre === false,
      basis: '《容错细则》第六条（二）3：“批准权限属市级层面的或重大事项，由党（工）委会集体研究……呈报市纪委监委”',
    }),
    step(
      'integrated',
      '是否“八个一体化”事项',
      integratedMatter('该事项是否属于“八个一体化”事项？', '报开发区党工委主要负责人同意后作出回复（《容错细则》第六条（二）3）', ({ services }) =>
        services.zoneSettings.integratedMatters(),
      ),
      {
        when: (v) => v.cityCadre === false && v.cityLevel === false,
        basis: '《容错细则》第六条（二）3：属“八个一体化”事项的，报开发区党工委主要负责人同意后作出回复',
      },
    ),
    step('attachments', '方案等附件', attachments('如有实施方案等材料请发送，没有可回复“完成”。')),
  ],

  async submit(values, { person, draftId, channel, services }) {
    const { record, route, why } = await services.filing.apply({
      draftKey: draftId,
      filer: person,
      unitId: values.unit.id,
      title: values.title,
      reason: values.reason,
      policyBasis: values.policyBasis,
      risks: values.risks,
      discussedOn: values.discussedOn,
      minutes: values.minutes,
      periodStart: values.periodStart,
      periodEnd: values.periodEnd,
      involvesCityCadre: values.cityCadre,
      cityLevel: values.cityLevel === true,
      integrated: values.integrated === true,
      attachments: values.attachments,
      channel,
    });
    return { recordRef: record.number, receipt: receiptMessages(record, '改革创新风险备案', route, why, services.workflow.caseLink(record)) };
  },
});
