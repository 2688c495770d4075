import { answerOf, dialogue, step } from '../src/conversation/dialogue';
import { attachments } from '../src/conversation/fields/attachments';
import { choices, text, yesNo } from '../src/conversation/fields/basic';
import { integratedMatter } from '../src/conversation/fields/integrated';
import { recordChoice } from '../src/conversation/fields/recordChoice';
import { item, OTHER_SITUATION, SITUATIONS } from '../src/domain/tolerance/policy';
import { receiptMessages } from '../src/domain/workflow/cards';
import type { Services } from '../src/services';

/** The 问责事项 picked, or the applicant's own description when it is not on the list. */
type MatterAnswer = { id: number; label: string } | { id: null; label: '其他' };
/** An approved 改革创新风险备案 the request relies on, or none. */
type FilingAnswer = { id: number; label: string } | { id: null; label: '没有' };

const matterStep = step(
  'matter',
  '问责事项',
  recordChoice<MatterAnswer>(
    '这次申请针对哪一项问责事项？',
    async ({ person, services }) => {
      const open = await services.matters.openFor(person.id, person.unitId);
      return [
        ...open.map((m) => ({ label: `${m.number} ${m.summary}（${m.openedOn} 启动）`, value: { id: m.id, label: `${m.number} ${m.summary}` } })),
        { label: '其他（不在列表中，我来描述）', value: { id: null, label: '其他' as const } },
      ];
    },
    (m) => m.label,
  ),
  { basis: '《容错细则》第五条：当事人出现失误错误面临追责时，可申请容错' },
);
const situationsStep = step('situations', '符合的容错情形', choices('您认为符合《容错细则》第五条的哪几种情形？可多选，如“二、三”。', SITUATIONS, item), {
  basis: '《容错细则》第五条 申请容错情形',
});

/**
 * 申请容错: a cadre facing accountability applies for a tolerance exemption.
 * 依据《容错细则》第五条（申请容错情形）、第六条（一）2（容错申请）和附件1. The answers about 上级交办
 * and 市管干部 choose the path of 第六条（一）4 (with 第二条第二款), said on the receipt with why.
 */
export const toleranceApplication = dialogue<Services>()({
  name: 'toleranceApplication',
  version: 2,
  title: '容错免责申请',
  triggers: ['申请容错', '容错免责', '容错申请'],
  formHeader: true,
  intro:
    '好的，我来帮您填写《临港开发区容错免责审批表》（《容错细则》附件1）。' +
    '申请向属地纪（工）委提出（第六条（一）2）：所在单位党组织提出意见，纪（工）委调查核实后，按管理权限报批（第六条（一）4）。' +
    '提交时会告诉您本申请的办理路径和原因。随时可发送“帮助”“上一步”或“取消”。',

  steps: [
    step('handedDown', '是否上级交办', yesNo('这件事是否属于上级党组织、纪检监察机关交办的问题线索或信访件？'), {
      basis: '《容错细则》第六条（一）4：“上级党组织、纪检监察机关交办的问题线索、信访件……呈报市纪委监委”',
    }),
    matterStep,
    step('matterText', '问责事项说明', text('请简要描述被问责的事项：什么事、由哪个部门启动问责。', { min: 5, max: 500 }), {
      when: (v) => answerOf(v, matterStep)?.id === null,
    }),
    step('cityCadre', '是否涉及市管干部', yesNo('这件事是否涉及市管干部（您本人以外的也算）？'), {
      when: (v) => v.handedDown === false,
      basis: '《容错细则》第六条（一）4：“涉及市管干部等批准权限在市级层面的容错纠错事项……呈报市纪委监委”',
    }),
    step('reason', '申请事由', text('请说明申请事由：当时做了什么、为什么这样做（背景）、结果如何。', { min: 20, max: 3000 }), {
      basis: '《容错细则》附件1“申请事由”；第四条“六看”将据此调查核实',
    }),
    situationsStep,
    step('otherSituation', '其他情形说明', text('您选择了（十）其他可容错的情形，请具体说明。', { min: 10, max: 1000 }), {
      when: (v) => answerOf(v, situationsStep)?.includes(OTHER_SITUATION) ?? false,
    }),
    step(
      'filing',
      '关联的风险备案',
      recordChoice<FilingAnswer>(
        '这件事事先是否做过改革创新风险备案？如有请选择，没有请回复最后一项的序号。',
        async ({ person, services }) => [
          ...(await services.filing.citableFor(person.unitId)).map((c) => ({
            label: `${c.number} ${String(c.form.title)}（${String(c.form.unitName)}）`,
            value: { id: c.id, label: `${c.number} ${String(c.form.title)}` },
          })),
          { label: '没有', value: { id: null, label: '没有' as const } },
        ],
        (f) => f.label,
      ),
      {
        basis:
          '本系统的做法：关联事先的改革创新风险备案，便于纪（工）委调查核实时对照备案的方案和风险（《容错细则》第四条“六看”）；' +
          '备案有效期内的信访反映，依第六条（二）4“一般暂缓调查”',
      },
    ),
    step(
      'integrated',
      '是否“八个一体化”事项',
      integratedMatter('该事项是否属于“八个一体化”事项？', '须报开发区党工委主要负责人同意后作出批复（《容错细则》第六条（一）4）', ({ services }) =>
        services.zoneSettings.integratedMatters(),
      ),
      {
        when: (v) => v.handedDown === false && v.cityCadre === false,
        basis: '《容错细则》第六条（一）4：属“八个一体化”事项的，须报开发区党工委主要负责人同意后作出批复',
      },
    ),
    step('attachments', '证明材料', attachments('请发送相关证明材料（文件或图片），没有可回复“完成”。')),
  ],

  async submit(values, { person, draftId, channel, services }) {
    const { matter } = values;
    const { record, route, why } = await services.tolerance.apply({
      draftKey: draftId,
      applicant: person,
      matterId: matter.id,
      matterText: matter.id === null ? (values.matterText ?? '') : matter.label,
      reason: values.reason,
      situations: values.situations,
      otherSituation: values.otherSituation,
      handedDown: values.handedDown,
      involvesCityCadre: values.cityCadre === true,
      integrated: values.integrated === true,
      filingId: values.filing.id,
      attachments: values.attachments,
      channel,
    });
    return { recordRef: record.number, receipt: receiptMessages(record, '容错免责申请', route, why, services.workflow.caseLink(record)) };
  },
});
