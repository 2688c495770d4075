import type { DataSource } from 'typeorm';
import { caseView, type CaseView } from '../../domain/workflow/caseView';
import { conclusionText } from '../../domain/workflow/describe';
import type { CriterionFinding } from '../../domain/workflow/record';
import type { CaseRecord } from '../../domain/workflow/types';
import { formSource, returnRounds, unitPath, type ReturnRound } from '../../documents/formData';
import type { FormLayout } from '../../documents/formLayout';
import { DOCUMENT_NAMES, layoutOf, type CaseDocument } from '../../documents/render';
import type { Person } from '../../roster/types';
import type { Services } from '../../services';
import { decisionOptions, type DecisionOption } from './pageDecision';

/** One file the applicant (or a stage) sent in chat, as the page lists it. */
export interface AttachmentLine {
  name: string;
  /** 申请材料, 第1次补充材料, 会议纪要 */
  part: string;
  receivedAt: string;
}

/** The 六看 (or whatever the chain's finding answers) of the latest finding, in full, with its verdict. */
export interface FindingView {
  heading: string;
  by: string;
  at: string;
  criteria: CriterionFinding[];
  verdict: string;
}

/** Everything the case page shows: read from the same places as the forms and the 进度 message. */
export interface CasePageData {
  c: CaseRecord;
  view: CaseView;
  applicant: string;
  unit: string;
  /** The paper form (附件1, 附件2, 澄清正名登记表) exactly as the Word and PDF exports lay it out. */
  form: FormLayout;
  finding: FindingView | null;
  returns: ReturnRound[];
  attachments: AttachmentLine[];
  /** The case's documents that exist now, each downloadable as Word and PDF through an expiring link. */
  documents: { document: CaseDocument; name: string }[];
  timeline: { at: string; text: string }[];
  /** The stage waiting on the viewer, with the card's buttons; null when it is not their turn. */
  turn: { stageTitle: string; stageId: number; options: DecisionOption[] } | null;
}

const files = (value: unknown, part: string): AttachmentLine[] =>
  (Array.isArray(value) ? (value as Record<string, unknown>[]) : []).map((a) => ({
    name: typeof a.fileName === 'string' && a.fileName ? a.fileName : a.mediaKind === 'image' ? '图片' : '文件',
    part,
    receivedAt: typeof a.receivedAt === 'string' ? a.receivedAt : '',
  }));

export async function casePageData(db: DataSource, services: Services, c: CaseRecord, viewer: Person, now: Date): Promise<CasePageData> {
  const def = services.workflow.definition(c.kind);
  const source = await formSource(db);
  const view = await caseView(def, source.cases, c, source.nameOf);
  const form = (await layoutOf(db, c.kind, c.id, 'form'))!;

  const found = view.history.filter((h) => h.entry.kind === 'finding').at(-1);
  const finding =
    found && found.entry.kind === 'finding'
      ? { heading: def.criteria?.heading ?? '核实情况', by: found.signer, at: found.at, criteria: found.entry.criteria, verdict: conclusionText(def, found.entry) }
      : null;

  const returns = returnRounds(c, view.history);
  const supplements = Array.isArray(c.form.supplements) ? (c.form.supplements as Record<string, unknown>[]) : [];
  const attachments = [
    ...files(c.form.attachments, '申请材料'),
    ...files(c.form.minutes, '会议纪要'),
    ...supplements.flatMap((s, i) => files(s.attachments, `第${i + 1}次补充材料`)),
  ];

  const documents: CasePageData['documents'] = [{ document: 'form', name: DOCUMENT_NAMES.form[c.kind] }];
  if (view.reply && DOCUMENT_NAMES.reply[c.kind]) documents.push({ document: 'reply', name: DOCUMENT_NAMES.reply[c.kind] });
  if (view.history.some((h) => h.entry.kind === 'submission') && DOCUMENT_NAMES.submission[c.kind]) {
    documents.push({ document: 'submission', name: DOCUMENT_NAMES.submission[c.kind] });
  }

  const applicant = await source.nameOf(c.applicantId);
  // A case the applicant did not file (a 澄清正名, an adjustment) was opened by someone for them.
  const opener = def.applicant && typeof c.form.openedBy === 'number' ? await source.nameOf(c.form.openedBy) : '';
  const timeline = [
    { at: c.createdAt, text: opener ? `${opener}启动${def.title}（${def.applicant!.word}${applicant}）` : `${applicant}提交${def.title}（${view.path.title}）` },
    ...view.history.map((h) => ({ at: h.at, text: `${h.definition.title}：${h.signer} ${h.entry.kind === 'return' ? '退回补充' : h.text.split('。')[0]}` })),
    ...returns.filter((r) => r.answeredAt).map((r) => ({ at: r.answeredAt!, text: `${applicant}补充材料（答复${r.stageTitle}的问题）` })),
    ...(view.reply ? [{ at: `${view.reply.issuedOn}T00:00:00+08:00`, text: `${view.reply.title} ${view.reply.number}：${conclusionText(def, view.reply)}` }] : []),
    ...(view.revocation ? [{ at: view.revocation.at, text: `撤销认定：${view.revocation.reason}` }] : []),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));

  const mine = view.open.find((o) => o.stage.status === 'pending' && o.stage.assigneeId === viewer.id);
  const turn =
    mine && c.status === 'in_review'
      ? { stageTitle: mine.definition.title, stageId: mine.stage.id, options: await decisionOptions(services, viewer, c, mine.stage, now) }
      : null;

  return {
    c,
    view,
    applicant,
    unit: unitPath(source.units, c.unitId),
    form,
    finding,
    returns,
    attachments,
    documents,
    timeline,
    turn,
  };
}

