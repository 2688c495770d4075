import type { DataSource } from 'typeorm';
import { filingWorkflow } from '../domain/filing/definition';
import { toleranceWorkflow } from '../domain/tolerance/definition';
import type { WorkflowDefinition } from '../domain/workflow/types';
import { buildFormData, situationText } from './approvalForm';
import { buildFilingFormData, periodText } from './filingForm';
import { entryLines, formSource, type FormEntry } from './formData';
import { chineseDate, lines, signature, type FormLayout, type FormLine, type FormRow } from './formLayout';

/**
 * 呈报件: what a city-level matter is submitted to the 市纪委监委 with (《容错细则》第六条（一）4:
 * 由党（工）委集体研究，提出明确意见并经开发区党工委主要负责人签署意见后，呈报市纪委监委; 第六条
 * （二）3 for a filing, 以开发区党工委、管委会为申请主体). It carries the request, the 纪（工）委's
 * finding, the 集体研究's 明确意见 and the signed opinion; the 审批表 / 备案表 goes with it.
 */

export interface SubmissionData {
  def: WorkflowDefinition;
  caseNumber: string;
  /** Who submits: the 党（工）委 (容错), or 开发区党工委、管委会 (备案). */
  submitter: string;
  subject: FormLine[];
  why: string[];
  /** The opinions before the finding (所在单位党组织, 备案单位, 分管领导, 会审), labelled as on the forms. */
  earlier: { label: string[]; entry: FormEntry }[];
  finding: FormEntry | null;
  meeting: FormEntry | null;
  signed: FormEntry | null;
  submission: FormEntry | null;
  enclosures: string[];
}

/** Reads what the 呈报件 of this city-level case shows; undefined for a case that is not on the city path. */
export async function loadSubmissionData(db: DataSource, caseId: number): Promise<SubmissionData | undefined> {
  const source = await formSource(db);
  const c = await source.cases.get(caseId);
  if (!c || c.path !== 'city') return undefined;
  const stages = await source.cases.stages(c.id);
  const meetingStage = stages.filter((s) => s.stageKey === 'meeting' && s.decidedBy).at(-1);
  const committeeUnit = meetingStage ? (await source.roster.rolesOf(meetingStage.decidedBy!)).find((r) => r.role === 'partyCommitteeHead') : undefined;
  const committee = committeeUnit ? source.units.get(committeeUnit.unitId)?.name : undefined;
  if (c.kind === 'tolerance') {
    const d = await buildFormData(c, stages, source);
    return {
      def: toleranceWorkflow,
      caseNumber: c.number,
      submitter: `${committee ?? '临港开发区'}党工委`,
      subject: [
        { text: `申请人：${d.applicantName}（${d.unitName} ${d.post}，${d.nature}）；申请时间：${chineseDate(d.appliedAt)}` },
        { text: `问责事项：${d.matter}` },
        ...lines(d.reason),
        ...d.situations.map((i) => ({ text: `申请容错情形：《容错细则》第五条${situationText(i, d.otherSituation)}` })),
      ],
      why: d.pathReasons,
      earlier: d.unit ? [{ label: ['所在单位', '党组织意见'], entry: d.unit }] : [],
      finding: d.discipline,
      meeting: d.committee,
      signed: d.zone,
      submission: d.submission,
      enclosures: ['临港开发区容错免责审批表（附件1）', ...(d.attachments > 0 ? [`证明材料 ${d.attachments} 份`] : [])],
    };
  }
  if (c.kind === 'filing') {
    const d = await buildFilingFormData(c, stages, source);
    return {
      def: filingWorkflow,
      caseNumber: c.number,
      submitter: '临港开发区党工委、管委会',
      subject: [
        { text: `备案单位：${d.unitName}；备案事项：${d.title}；实施期限：${periodText(d)}` },
        ...lines(d.reason),
        ...lines(d.risks).map((l, i) => (i === 0 ? { text: `存在的风险：${l.text}` } : l)),
      ],
      why: d.pathReasons,
      earlier: [
        ...(d.unit ? [{ label: ['备案单位', '意\u3000见'], entry: d.unit }] : []),
        ...(d.supervisor ? [{ label: ['分管领导', '意\u3000见'], entry: d.supervisor }] : []),
        ...(d.review ? [{ label: ['会审意见'], entry: d.review }] : []),
      ],
      finding: d.discipline,
      meeting: d.committee,
      signed: d.zone,
      submission: d.submission,
      enclosures: ['临港开发区改革创新风险备案表（附件2）', ...(d.minutes > 0 ? [`单位党组织集体讨论会议纪要 ${d.minutes} 份`] : [])],
    };
  }
  return undefined;
}

export function submissionLayout(d: SubmissionData): FormLayout {
  const body = (e: FormEntry | null) => (e ? entryLines(d.def, e) : []);
  const meetingMinutes = d.meeting?.entry.kind === 'meeting' ? d.meeting.entry.minutes.length : 0;
  const kindTitle = d.def.kind === 'filing' ? '改革创新风险备案' : '容错免责';
  const rows: FormRow[] = [
    { label: ['事\u3000项'], body: d.subject, sign: [], minHeight: 90 },
    { label: ['呈报原因'], body: [{ text: d.why.join('；') || '批准权限在市级层面' }], sign: [], minHeight: 30 },
    ...d.earlier.map((x) => ({ label: x.label, body: body(x.entry), sign: [signature(x.entry, '')], minHeight: 50 })),
    { label: ['纪（工）委', '意\u3000见'], body: body(d.finding), sign: [signature(d.finding, '')], minHeight: 80 },
    { label: ['党（工）委', '集体研究', '明确意见'], body: body(d.meeting), sign: [signature(d.meeting, '')], minHeight: 80 },
    {
      label: ['开发区', '党工委', '主要负责人', d.def.kind === 'filing' ? '意\u3000见' : '签署意见'],
      body: body(d.signed),
      sign: [signature(d.signed, '签名：')],
      minHeight: 70,
    },
    {
      label: ['附\u3000件'],
      body: [...d.enclosures, ...(meetingMinutes > 0 ? [`集体研究会议纪要 ${meetingMinutes} 份`] : [])].map((text, i) => ({ text: `${i + 1}. ${text}` })),
      sign: [],
      minHeight: 40,
    },
  ];
  const submitted = d.submission?.entry.kind === 'submission' ? d.submission.entry : undefined;
  return {
    annex: '',
    title: `临港开发区${kindTitle}事项呈报表`,
    numberLine: `编号：${d.caseNumber}\u3000呈报文号：${submitted?.documentNumber ?? '\u3000\u3000\u3000\u3000'}`,
    head: [
      { label: d.def.kind === 'filing' ? '申请主体' : '呈报单位', value: d.submitter },
      { label: '呈报日期', value: submitted ? chineseDate(submitted.submittedOn) : '' },
    ],
    rows,
    footer: '呈报市纪委监委。',
    documentTitle: `临港开发区${kindTitle}事项呈报表 ${d.caseNumber}`,
    subject: d.def.kind === 'filing' ? '《容错细则》第六条（二）3' : '《容错细则》第六条（一）4',
  };
}
