import { zoneDate } from '../../clock';
import type { WorkflowDefinition } from '../workflow/types';
import { attachmentsField } from '../../files/caseFiles';

export const IN_FORCE_NOTE =
  '依据《容错细则》第六条（二）4，实施主体抓紧实施，纪（工）委收到其信访反映，一般暂缓调查；确需调查处理的，采取措施减少对改革创新工作的影响。';

/**
 * The 改革创新风险备案 chain of 《容错细则》第六条（二）. The stages fill the rows of 附件2
 * (临港开发区改革创新风险备案表); a filing takes one of three paths, chosen at intake.
 */
export const filingWorkflow: WorkflowDefinition = {
  kind: 'filing',
  title: '改革创新风险备案',
  numberPrefix: 'FB',
  withdrawable: true,
  stages: [
    { key: 'unit', kind: 'opinion', title: '备案单位意见', role: 'unitLeader', basis: '《容错细则》附件2“备案单位意见”栏；第六条（二）1：经所在单位党组织集体讨论' },
    {
      key: 'supervisor',
      kind: 'opinion',
      title: '分管领导意见',
      role: 'supervisingLeader',
      basis: '《容错细则》第六条（二）1：经所在单位党组织集体讨论并报分管领导同意后，可填写“临港开发区改革创新风险备案表”',
    },
    { key: 'review', kind: 'jointReview', title: '会审意见', role: 'disciplineMember', basis: '《容错细则》第六条（二）2：纪（工）委牵头相关职能部门进行集体会审' },
    {
      key: 'discipline',
      kind: 'finding',
      title: '纪（工）委意见',
      role: 'disciplineMember',
      basis: '《容错细则》第六条（二）3：创新备案项目会审通过后，按照管理权限，由纪（工）委提出认定意见',
      dialogue: 'filingFinding',
      label: '提出认定意见',
    },
    {
      key: 'committee',
      kind: 'approval',
      title: '基层党委意见',
      role: 'partyCommitteeHead',
      basis: '《容错细则》第六条（二）3：报党（工）委主要负责人同意后向申请单位党组织作出回复',
    },
    {
      key: 'zone',
      kind: 'approval',
      title: '开发区党工委意见',
      role: 'zonePartyHead',
      basis: '《容错细则》第六条（二）3：属“八个一体化”事项的，报开发区党工委主要负责人同意后作出回复；市级层面的或重大事项，报开发区党工委主要负责人同意后呈报',
    },
    {
      key: 'meeting',
      kind: 'meeting',
      row: 'committee',
      title: '党（工）委会集体研究',
      role: 'partyCommitteeHead',
      basis: '《容错细则》第六条（二）3：批准权限属市级层面的或重大事项，由党（工）委会集体研究，提出明确意见',
    },
    {
      key: 'submission',
      kind: 'submission',
      title: '呈报市纪委监委',
      role: 'disciplineMember',
      basis: '《容错细则》第六条（二）3：由纪（工）委会同有关职能部门，以开发区党工委、管委会为申请主体，呈报市纪委监委',
    },
    {
      key: 'answer',
      kind: 'answer',
      title: '市纪委监委答复',
      role: 'disciplineMember',
      basis: '《容错细则》第六条（二）3：“呈报市纪委监委”；市纪委监委的答复由纪（工）委登记，是本开发区的分工',
    },
  ],
  paths: [
    {
      key: 'ordinary',
      title: '一般事项',
      stages: ['unit', 'supervisor', 'review', 'discipline', 'committee'],
      explain: '依据《容错细则》第六条（二）2、3：“纪（工）委牵头相关职能部门进行集体会审”；会审通过后由纪（工）委提出认定意见，“报党（工）委主要负责人同意后向申请单位党组织作出回复”。',
    },
    {
      key: 'integrated',
      title: '“八个一体化”事项',
      stages: ['unit', 'supervisor', 'review', 'discipline', 'committee', 'zone'],
      explain: '依据《容错细则》第六条（二）3：属“八个一体化”事项的，报开发区党工委主要负责人同意后作出回复。',
    },
    {
      key: 'city',
      title: '市级层面或重大事项',
      stages: ['unit', 'supervisor', 'review', 'discipline', 'meeting', 'zone', 'submission', 'answer'],
      explain:
        '依据《容错细则》第六条（二）3：“批准权限属市级层面的或重大事项，由党（工）委会集体研究，提出明确意见并报开发区党工委主要负责人同意后，' +
        '由纪（工）委会同有关职能部门，以开发区党工委、管委会为申请主体，呈报市纪委监委”；涉及市管干部的创新备案，依第二条第二款不由开发区自行决定。',
    },
  ],
  verdicts: [
    { key: 'grant', label: '同意备案', grants: true },
    { key: 'refuse', label: '不予备案', grants: false },
  ],
  reply: {
    title: '回复',
    numberPrefix: 'HF',
    to: ['partySecretary'],
    basis: '《容错细则》第六条（二）3：报党（工）委主要负责人同意后向申请单位党组织作出回复',
  },
  statusLabels: { granted: '同意备案', rejected: '不予备案', revoked: '已撤销备案' },
  summarize(c, applicantName) {
    const form = c.form as { unitName?: string; filedAt?: string; title?: string; reason?: string; policyBasis?: string; risks?: string; discussedOn?: string; periodStart?: string; periodEnd?: string };
    return [
      { label: '备案单位', value: `${form.unitName ?? ''}（经办：${applicantName}）` },
      ...(form.filedAt ? [{ label: '申请时间', value: zoneDate(new Date(form.filedAt)) }] : []),
      { label: '备案事项', value: form.title ?? '' },
      { label: '备案事由', value: form.reason ?? '' },
      ...(form.policyBasis ? [{ label: '政策依据', value: form.policyBasis }] : []),
      { label: '存在的风险', value: form.risks ?? '' },
      ...(form.discussedOn ? [{ label: '集体讨论日期', value: form.discussedOn }] : []),
      { label: '实施期限', value: `${form.periodStart ?? ''} 至 ${form.periodEnd ?? ''}` },
      { label: '办理路径', value: filingWorkflow.paths.find((p) => p.key === c.path)?.title ?? '' },
      ...attachmentsField(c),
    ];
  },
  headline(c, applicantName) {
    const form = c.form as { unitName?: string; title?: string; periodStart?: string; periodEnd?: string };
    return [
      { label: '备案单位', value: `${form.unitName ?? ''}（${applicantName}）` },
      { label: '备案事项', value: form.title ?? '' },
      { label: '实施期限', value: `${form.periodStart ?? ''} 至 ${form.periodEnd ?? ''}` },
    ];
  },
  onGranted: [
    {
      kind: 'report-city',
      title: '将备案材料报备市纪委监委纳入统计（《容错细则》第六条（二）4）',
      role: 'disciplineMember',
      due: 'reportToCity',
      marksReported: true,
      // 报备 is for filings passed at the zone's own level (开发区本级通过的).
      when: (c) => c.path !== 'city',
    },
    { kind: 'result-report', title: '实施结束后向党（工）委报告结果（《容错细则》第六条（二）5）', role: 'applicant', dueAtPeriodEnd: true, dialogue: 'filingResultReport' },
  ],
  laterTasks: [
    { kind: 'evaluation', title: '对实施结果进行绩效评价（《容错细则》第六条（二）5）', role: 'partyCommitteeHead', due: 'evaluation', dialogue: 'filingEvaluation' },
  ],
};
