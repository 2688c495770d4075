import { zoneDate } from '../../clock';
import type { WorkflowDefinition } from '../workflow/types';
import { attachmentsField } from '../../files/caseFiles';
import { EXEMPTIONS, item, SITUATIONS, SIX_LOOKS } from './policy';

/**
 * The 容错免责 chain of 《容错细则》第六条（一）. The stages fill the rows of 附件1
 * (临港开发区容错免责审批表); a request takes one of three paths, chosen at intake.
 */
export const toleranceWorkflow: WorkflowDefinition = {
  kind: 'tolerance',
  title: '容错免责申请',
  numberPrefix: 'RC',
  withdrawable: true,
  stages: [
    {
      key: 'unit',
      kind: 'opinion',
      title: '所在单位党组织意见',
      role: 'partySecretary',
      basis: '《容错细则》附件1“所在单位党组织意见”栏；申请向属地纪（工）委提出（第六条（一）2），单位党组织的意见写入审批表，不论同意与否都送纪（工）委调查核实',
    },
    {
      key: 'discipline',
      kind: 'finding',
      title: '纪（工）委意见',
      role: 'disciplineMember',
      basis: '《容错细则》第六条（一）3：属地纪（工）委对容错申请理由和实际情况进行调查核实，并提出意见；按第四条“六看”作出判断和认定',
      dialogue: 'toleranceInvestigation',
      label: '开始核实',
    },
    {
      key: 'committee',
      kind: 'approval',
      title: '基层党委意见',
      role: 'partyCommitteeHead',
      basis: '《容错细则》第六条（一）4：属地纪（工）委将调查核实意见报党（工）委主要负责人同意后作出批复',
    },
    {
      key: 'zone',
      kind: 'approval',
      title: '开发区党工委意见',
      role: 'zonePartyHead',
      basis: '《容错细则》第六条（一）4：属“八个一体化”事项的，须报开发区党工委主要负责人同意后作出批复',
    },
    {
      key: 'meeting',
      kind: 'meeting',
      row: 'committee',
      title: '党（工）委集体研究',
      role: 'partyCommitteeHead',
      basis: '《容错细则》第六条（一）4：由党（工）委集体研究，提出明确意见',
    },
    {
      key: 'signature',
      kind: 'signature',
      row: 'zone',
      title: '开发区党工委主要负责人签署意见',
      role: 'zonePartyHead',
      basis: '《容错细则》第六条（一）4：经开发区党工委主要负责人签署意见后，呈报市纪委监委',
    },
    {
      key: 'submission',
      kind: 'submission',
      title: '呈报市纪委监委',
      role: 'disciplineMember',
      basis: '《容错细则》第六条（一）4：“呈报市纪委监委”；由纪（工）委登记呈报日期和文号，是本开发区的分工',
    },
    {
      key: 'answer',
      kind: 'answer',
      title: '市纪委监委答复',
      role: 'disciplineMember',
      basis: '《容错细则》第六条（一）4：“批准权限在市级层面的容错纠错事项”由市纪委监委决定；答复由纪（工）委登记，是本开发区的分工',
    },
  ],
  paths: [
    {
      key: 'ordinary',
      title: '一般事项',
      stages: ['unit', 'discipline', 'committee'],
      explain:
        '依据《容错细则》第六条（一）2—4：申请“向属地纪（工）委提出书面申请”，所在单位党组织的意见写入审批表（附件1）；纪（工）委调查核实并提出意见，' +
        '“属地纪（工）委将调查核实意见报党（工）委主要负责人同意后作出批复”。',
    },
    {
      key: 'integrated',
      title: '“八个一体化”事项',
      stages: ['unit', 'discipline', 'committee', 'zone'],
      explain: '依据《容错细则》第六条（一）4：属“八个一体化”事项的，须报开发区党工委主要负责人同意后作出批复。',
    },
    {
      key: 'city',
      title: '市级层面事项',
      stages: ['unit', 'discipline', 'meeting', 'signature', 'submission', 'answer'],
      explain:
        '依据《容错细则》第六条（一）4：“上级党组织、纪检监察机关交办的问题线索、信访件，或涉及市管干部等批准权限在市级层面的容错纠错事项，' +
        '由党（工）委集体研究，提出明确意见并经开发区党工委主要负责人签署意见后，呈报市纪委监委。”这类事项不由开发区自行决定（第二条第二款）。',
    },
  ],
  verdicts: [
    { key: 'grant', label: '予以容错免责', grants: true },
    { key: 'partial', label: '部分容错免责', grants: true, partPrompt: '请说明哪些部分予以容错免责、哪些部分不予。' },
    { key: 'refuse', label: '不予容错免责', grants: false },
  ],
  criteria: { heading: '调查核实情况（《容错细则》第四条“六看”）', items: SIX_LOOKS },
  outcomes: { cite: '《容错细则》第七条', items: EXEMPTIONS },
  reply: {
    title: '批复',
    numberPrefix: 'PF',
    to: ['partySecretary'],
    basis: '《容错细则》第六条（一）4：报党（工）委主要负责人同意后作出批复',
  },
  statusLabels: { granted: '予以容错免责', rejected: '不予容错免责', revoked: '已撤销认定（《容错细则》第十条）' },
  summarize(c, applicantName) {
    const form = c.form as {
      post?: string; nature?: string; unitName?: string; appliedAt?: string; matter?: string; reason?: string; situations?: number[]; otherSituation?: string | null; handedDown?: boolean;
    };
    return [
      { label: '申请人', value: applicantName },
      ...(form.unitName ? [{ label: '所在单位', value: form.unitName }] : []),
      { label: '职务或性质', value: `${form.post ?? ''}（${form.nature ?? ''}）` },
      ...(form.appliedAt ? [{ label: '申请时间', value: zoneDate(new Date(form.appliedAt)) }] : []),
      { label: '问责事项', value: form.matter ?? '' },
      { label: '申请事由', value: form.reason ?? '' },
      { label: '符合的容错情形', value: (form.situations ?? []).map((i) => `《容错细则》第五条${item(i)}${SITUATIONS[i]}`).join('\n') },
      ...(form.otherSituation ? [{ label: '其他情形说明', value: form.otherSituation }] : []),
      { label: '办理路径', value: toleranceWorkflow.paths.find((p) => p.key === c.path)?.title ?? '' },
      ...(c.form.filingId ? [{ label: '关联风险备案', value: '有' }] : []),
    ];
  },
  headline(c, applicantName) {
    const form = c.form as { post?: string; matter?: string };
    return [
      { label: '申请人', value: `${applicantName}${form.post ? `（${form.post}）` : ''}` },
      { label: '问责事项', value: form.matter ?? '' },
      { label: '办理路径', value: toleranceWorkflow.paths.find((p) => p.key === c.path)?.title ?? '' },
      ...attachmentsField(c),
    ];
  },
  onGranted: [
    { kind: 'execute', title: '按规定执行容错免责处理（《容错细则》第六条（一）5）', role: 'disciplineMember', due: 'execution' },
    { kind: 'execute-personnel', title: '组织人事部门按规定执行容错免责处理（《容错细则》第六条（一）5）', role: 'personnelOfficer', due: 'execution' },
    { kind: 'publish', title: '在一定范围内公开认定结论（《容错细则》第六条（一）5）', role: 'disciplineMember', due: 'execution' },
    {
      kind: 'report-city',
      title: '报备市纪委监委纳入统计（《容错细则》第六条（一）4）',
      role: 'disciplineMember',
      due: 'reportToCity',
      marksReported: true,
      // A city-level matter was decided by the 市纪委监委 itself: there is nothing to 报备.
      when: (c) => c.path !== 'city',
    },
    { kind: 'archive', title: '相关资料和会议纪要存储归档（《容错细则》第六条（一）5）', role: 'disciplineMember', due: 'execution' },
    {
      kind: 'admonition',
      title: '约谈提醒：指出不足，鼓励放下包袱、轻装上阵（《容错细则》第八条（一））',
      role: 'disciplineMember',
      due: 'admonition',
      // Held and logged like any 谈心谈话, so it also counts in the talk records.
      dialogue: 'talkLog',
      prefill: (c) => ({
        talkees: [{ id: c.applicantId, name: String(c.form.applicantName) }],
        kind: '约谈提醒',
        ...(c.outcome ? { grantedOn: zoneDate(new Date(c.outcome.decidedAt)) } : {}),
      }),
    },
    { kind: 'rectification', title: '分析错误源头，落实整改措施（《容错细则》第八条（二））', role: 'partySecretary', due: 'rectification' },
    { kind: 'root-cause', title: '排查廉政风险、开展警示教育、填补制度漏洞（《容错细则》第八条（三））', role: 'partySecretary', due: 'rootCause' },
  ],
  laterTasks: [
    { kind: 'handling', title: '依纪依法严肃处理并登记处理结果（《容错细则》第十条）', role: 'disciplineMember', dialogue: 'revocationHandling' },
  ],
  grantNotices: [
    {
      role: 'personnelOfficer',
      text: (c, outcome) =>
        `【容错免责干部】${String(c.form.applicantName ?? '')}（${String(c.form.unitName ?? '')} ${String(c.form.post ?? '')}）经 ${c.number} 认定：${outcome}。` +
        '依据《容错细则》第十一条：对给予容错的干部，考核考察要客观评价，选拔任用要公正合理。发送“容错记录 姓名”可随时查看。',
    },
  ],
};
