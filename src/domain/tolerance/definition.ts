import type { WorkflowDefinition } from '../workflow/types';
import { item, SITUATIONS } from './policy';

/** The 容错免责 chain in the order of the rows of 附件1 (临港开发区容错免责审批表). */
export const toleranceWorkflow: WorkflowDefinition = {
  kind: 'tolerance',
  title: '容错免责申请',
  numberPrefix: 'RC',
  stages: [
    { key: 'unit', title: '所在单位党组织意见', role: 'partySecretary', basis: '《容错细则》第六条（一）2、附件1' },
    {
      key: 'discipline',
      title: '纪（工）委意见',
      role: 'disciplineMember',
      basis: '《容错细则》第四条“六看”、第六条（一）3 调查核实',
      decisionDialogue: 'toleranceInvestigation',
      decisionLabel: '开始核实',
    },
    { key: 'committee', title: '基层党委意见', role: 'partyCommitteeHead', basis: '《容错细则》第六条（一）4 批准或上报' },
    {
      key: 'zone',
      title: '开发区党工委意见',
      role: 'zonePartyHead',
      basis: '《容错细则》第六条（一）4：属“八个一体化”事项的，须报开发区党工委主要负责人同意',
      when: (c) => c.integrated,
    },
  ],
  summarize(c, applicantName) {
    const form = c.form as { post?: string; nature?: string; appliedAt?: string; matter?: string; reason?: string; situations?: number[]; attachments?: unknown[] };
    const reason = form.reason ?? '';
    return [
      { label: '申请人', value: applicantName },
      { label: '职务或性质', value: `${form.post ?? ''}（${form.nature ?? ''}）` },
      { label: '问责事项', value: form.matter ?? '' },
      { label: '申请事由', value: reason.length > 120 ? `${reason.slice(0, 120)}……` : reason },
      { label: '容错情形', value: (form.situations ?? []).map((i) => `第五条${item(i)}${SITUATIONS[i].slice(0, 12)}…`).join('；') },
      { label: '八个一体化', value: c.integrated ? '是（需开发区党工委意见）' : '否' },
      ...(c.form.filingId ? [{ label: '关联风险备案', value: '有（审核时查看）' }] : []),
    ];
  },
  onGranted: [
    { kind: 'execute', title: '按规定执行容错免责处理（第六条（一）5 执行反馈）', role: 'disciplineMember', dueInDays: 30 },
    { kind: 'execute-personnel', title: '组织人事部门按规定执行容错免责处理（第六条（一）5）', role: 'personnelOfficer', dueInDays: 30 },
    { kind: 'publish', title: '在一定范围内公开认定结论（第六条（一）5）', role: 'disciplineMember', dueInDays: 30 },
    { kind: 'report-city', title: '报备市纪委监委纳入统计（第六条（一）4）', role: 'disciplineMember', dueInDays: 15, marksReported: true },
    { kind: 'archive', title: '相关资料和会议纪要存储归档（第六条（一）5）', role: 'disciplineMember', dueInDays: 30 },
    {
      kind: 'admonition',
      title: '约谈提醒：指出不足，鼓励放下包袱、轻装上阵（第八条（一））',
      role: 'disciplineMember',
      dueInDays: 30,
      // Held and logged like any 谈心谈话, so it also counts in the talk records.
      dialogue: 'talkLog',
      prefill: (c) => ({ talkees: [{ id: c.applicantId, name: String(c.form.applicantName) }], kind: '约谈提醒' }),
    },
    { kind: 'rectification', title: '分析错误源头，落实整改措施（第八条（二））', role: 'partySecretary', dueInDays: 60 },
    { kind: 'root-cause', title: '排查廉政风险、开展警示教育、填补制度漏洞（第八条（三））', role: 'partySecretary', dueInDays: 90 },
  ],
};
