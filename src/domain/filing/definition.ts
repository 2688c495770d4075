import type { WorkflowDefinition } from '../workflow/types';

export const IN_FORCE_NOTE =
  '依据《容错细则》第六条（二）4，实施主体抓紧实施，纪（工）委收到其信访反映，一般暂缓调查；确需调查处理的，采取措施减少对改革创新工作的影响。';

/** The 改革创新风险备案 chain in the order of the rows of 附件2 (临港开发区改革创新风险备案表). */
export const filingWorkflow: WorkflowDefinition = {
  kind: 'filing',
  title: '改革创新风险备案',
  numberPrefix: 'FB',
  stages: [
    { key: 'unit', title: '备案单位意见', role: 'unitLeader', basis: '《容错细则》第六条（二）1、附件2' },
    { key: 'supervisor', title: '分管领导意见', role: 'supervisingLeader', basis: '《容错细则》第六条（二）1：经所在单位党组织集体讨论并报分管领导同意' },
    { key: 'review', title: '会审意见', role: 'disciplineMember', basis: '《容错细则》第六条（二）2：纪（工）委牵头相关职能部门进行集体会审', jointReview: true },
    { key: 'discipline', title: '纪（工）委意见', role: 'disciplineMember', basis: '《容错细则》第六条（二）3：会审通过后由纪（工）委提出认定意见' },
    { key: 'committee', title: '基层党委意见', role: 'partyCommitteeHead', basis: '《容错细则》第六条（二）3：报党（工）委主要负责人同意后向申请单位党组织作出回复' },
    {
      key: 'zone',
      title: '开发区党工委意见',
      role: 'zonePartyHead',
      basis: '《容错细则》第六条（二）3：属“八个一体化”事项的，报开发区党工委主要负责人同意后作出回复',
      when: (c) => c.integrated,
    },
  ],
  summarize(c, applicantName) {
    const form = c.form as { unitName?: string; title?: string; reason?: string; risks?: string; periodStart?: string; periodEnd?: string };
    const clip = (s = '') => (s.length > 100 ? `${s.slice(0, 100)}……` : s);
    return [
      { label: '备案单位', value: `${form.unitName ?? ''}（经办：${applicantName}）` },
      { label: '备案事项', value: form.title ?? '' },
      { label: '备案事由', value: clip(form.reason) },
      { label: '存在的风险', value: clip(form.risks) },
      { label: '实施期限', value: `${form.periodStart ?? ''} 至 ${form.periodEnd ?? ''}` },
      { label: '八个一体化', value: c.integrated ? '是（需开发区党工委意见）' : '否' },
    ];
  },
  onGranted: [
    { kind: 'report-city', title: '将备案材料报备市纪委监委纳入统计（第六条（二）4）', role: 'disciplineMember', dueInDays: 15, marksReported: true },
    { kind: 'result-report', title: '实施结束后向党（工）委报告结果（第六条（二）5）', role: 'applicant', dueAtPeriodEnd: true, dialogue: 'filingResultReport' },
  ],
  laterTasks: [
    { kind: 'evaluation', title: '对实施结果进行绩效评价（第六条（二）5）', role: 'partyCommitteeHead', dueInDays: 30, dialogue: 'filingEvaluation' },
  ],
};
