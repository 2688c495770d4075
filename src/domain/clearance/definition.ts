import type { WorkflowDefinition } from '../workflow/types';

/**
 * 澄清正名 (《容错细则》第九条): opened by the 纪（工）委 for a cadre an accusation against whom proved
 * false; the cadre says what they wish, the 纪（工）委 proposes where and how to clarify, the
 * 党（工）委主要负责人 approves, and the clarification done is recorded. The policy names no one for
 * these steps: the roles are the zone's arrangement, as the issue that brought this asked.
 */
export const clearanceWorkflow: WorkflowDefinition = {
  kind: 'clearance',
  title: '澄清正名',
  numberPrefix: 'QM',
  // The cadre did not file it: the 纪（工）委 did; the cadre's say is the wishes stage.
  withdrawable: false,
  applicant: { word: '干部', told: true },
  stages: [
    {
      key: 'wishes',
      kind: 'opinion',
      title: '本人意愿',
      role: 'applicant',
      basis: '《容错细则》第九条：综合考虑工作需要和被举报人本人意愿',
      dialogue: 'clearanceWishes',
      label: '说明本人意愿',
      stanceWords: { agree: '希望澄清正名', disagree: '不希望澄清正名' },
    },
    {
      key: 'proposal',
      kind: 'finding',
      title: '纪（工）委意见（澄清范围和方式）',
      role: 'disciplineMember',
      basis: '《容错细则》第九条：在一定范围内，以适当方式为干部澄清正名，消除负面影响',
      dialogue: 'clearanceProposal',
      label: '提出澄清方案',
    },
    {
      key: 'approval',
      kind: 'approval',
      title: '党（工）委主要负责人意见',
      role: 'partyCommitteeHead',
      basis: '《容错细则》第九条：“在一定范围内，以适当方式为干部澄清正名”；澄清范围和方式报党（工）委主要负责人同意，是本开发区的分工，第九条未规定由谁批准',
    },
  ],
  paths: [
    {
      key: 'ordinary',
      title: '澄清正名',
      stages: ['wishes', 'proposal', 'approval'],
      explain: '依据《容错细则》第九条：对受到错告诬告、经查举报失实且造成不良影响的，综合考虑工作需要和被举报人本人意愿，在一定范围内，以适当方式为干部澄清正名，消除负面影响。',
    },
  ],
  verdicts: [
    { key: 'grant', label: '予以澄清正名', grants: true },
    { key: 'refuse', label: '不予澄清正名', grants: false },
  ],
  statusLabels: { granted: '予以澄清正名', rejected: '不予澄清正名' },
  summarize(c, cadreName) {
    const form = c.form as { unitName?: string; post?: string; accusation?: string; conclusion?: string; impact?: string; matter?: string };
    return [
      { label: '被举报人', value: `${cadreName}（${form.unitName ?? ''} ${form.post ?? ''}）` },
      ...(form.matter ? [{ label: '问责事项', value: form.matter }] : []),
      { label: '举报内容', value: form.accusation ?? '' },
      { label: '查核结论', value: form.conclusion ?? '' },
      { label: '造成的不良影响', value: form.impact ?? '' },
    ];
  },
  headline(c, cadreName) {
    const form = c.form as { unitName?: string; post?: string; conclusion?: string };
    return [
      { label: '被举报人', value: `${cadreName}（${form.unitName ?? ''} ${form.post ?? ''}）` },
      { label: '查核结论', value: form.conclusion ?? '' },
    ];
  },
  onGranted: [
    {
      kind: 'clear',
      title: '按批准的范围和方式为干部澄清正名，消除负面影响（《容错细则》第九条）',
      role: 'disciplineMember',
      due: 'clearance',
      dialogue: 'clearanceDone',
    },
  ],
};
