import type { CaseRepository } from '../domain/workflow/caseRepository';
import type { StoredAttachment } from '../domain/workflow/record';
import type { CaseRecord, StageRecord } from '../domain/workflow/types';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Person, Role } from '../roster/types';
import type { ReceivedFiles } from './receivedFiles';
import type { ReceivedFile } from './receivedFile';

/** The offices that may read every case: the 纪工委 and 党群工作部. */
export const OFFICE_ROLES: Role[] = ['disciplineMember', 'partyAffairsAdmin'];

/** Which part of the record a file belongs to, as the archive's folders and the lists name it. */
export type FilePart = '证明材料' | '实施方案等材料' | '补充材料' | '会议纪要' | '呈报材料' | '答复文件' | '总结材料';

export interface CaseAttachment {
  part: FilePart;
  attachment: StoredAttachment;
  /** The received file, when the attachment was recorded as one (every one sent since files are kept). */
  file?: ReceivedFile;
}

const isAttachment = (value: unknown): value is StoredAttachment =>
  !!value && typeof value === 'object' && typeof (value as StoredAttachment).mediaId === 'string' && typeof (value as StoredAttachment).channel === 'string';

const list = (value: unknown): StoredAttachment[] => (Array.isArray(value) ? value.filter(isAttachment) : []);

/** Every file of a case in the order it came: the form's, each supplement's, each stage's. */
export function attachmentsIn(c: Pick<CaseRecord, 'kind' | 'form'>, stages: Pick<StageRecord, 'entry'>[]): { part: FilePart; attachment: StoredAttachment }[] {
  const form = c.form as { attachments?: unknown; minutes?: unknown; supplements?: { attachments?: unknown }[]; resultReport?: { attachments?: unknown } };
  const found: { part: FilePart; attachment: StoredAttachment }[] = [
    ...list(form.minutes).map((attachment) => ({ part: '会议纪要' as const, attachment })),
    ...list(form.attachments).map((attachment) => ({ part: c.kind === 'filing' ? ('实施方案等材料' as const) : ('证明材料' as const), attachment })),
    ...(Array.isArray(form.supplements) ? form.supplements : []).flatMap((s) => list(s?.attachments).map((attachment) => ({ part: '补充材料' as const, attachment }))),
    ...list(form.resultReport?.attachments).map((attachment) => ({ part: '总结材料' as const, attachment })),
  ];
  for (const { entry } of stages) {
    if (entry?.kind === 'meeting') found.push(...list(entry.minutes).map((attachment) => ({ part: '会议纪要' as const, attachment })));
    if (entry?.kind === 'submission') found.push(...list(entry.attachments).map((attachment) => ({ part: '呈报材料' as const, attachment })));
    if (entry?.kind === 'answer') found.push(...list(entry.attachments).map((attachment) => ({ part: '答复文件' as const, attachment })));
  }
  return found;
}

/**
 * The files of a case and who may read them: its applicant, whoever holds or held one of its
 * stages (its approvers), the 纪工委 and 党群工作部 — those who may read the case itself.
 */
export class CaseFiles {
  constructor(
    private readonly deps: { cases: CaseRepository; roster: RosterRepository; files: ReceivedFiles },
  ) {}

  async mayRead(reader: Person, c: CaseRecord): Promise<boolean> {
    if (c.applicantId === reader.id) return true;
    if ((await this.deps.cases.stages(c.id)).some((s) => s.assigneeId === reader.id || s.decidedBy === reader.id)) return true;
    return this.deps.roster.holdsAnyRole(reader.id, ...OFFICE_ROLES);
  }

  async of(c: CaseRecord): Promise<CaseAttachment[]> {
    const found = attachmentsIn(c, await this.deps.cases.stages(c.id));
    const files = await this.deps.files.byIds(found.flatMap((f) => (f.attachment.fileId === undefined ? [] : [f.attachment.fileId])));
    const byId = new Map(files.map((f) => [f.id, f]));
    return found.map((f) => ({ ...f, file: f.attachment.fileId === undefined ? undefined : byId.get(f.attachment.fileId) }));
  }
}

/** The card line that tells an approver the request has files, and how to open them. */
export function attachmentsField(c: Pick<CaseRecord, 'kind' | 'form' | 'number'>): { label: string; value: string }[] {
  const count = attachmentsIn(c, []).length;
  return count === 0 ? [] : [{ label: '附件', value: `${count} 个` }];
}
