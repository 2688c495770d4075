import type { CaseRepository } from '../domain/workflow/caseRepository';
import type { CaseRecord } from '../domain/workflow/types';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Person, Role } from '../roster/types';
import type { CaseDocument } from './render';
import { workflowOf } from '../domain/workflows';

/** 纪工委 and 党群工作部: the offices that run the approvals and may export any case's documents. */
export const OFFICE_ROLES: Role[] = ['disciplineMember', 'partyAffairsAdmin'];
/** 《容错细则》第十一条: 组织人事部门 weigh exempted cadres in 考核 and 选拔, so they may read the 台账. */
export const LEDGER_ROLES: Role[] = [...OFFICE_ROLES, 'personnelOfficer'];

/**
 * Who may export a case's document, in chat (导出 RC2026-0001) and on the console alike: its form
 * the applicant, anyone assigned a stage of it, the 纪工委 and 党群工作部; its 批复 / 回复 also
 * those it was sent to; a 呈报表 the stages' holders and those offices, not the applicant.
 */
export async function mayExportCaseDocument(
  deps: { cases: CaseRepository; roster: RosterRepository },
  person: Person,
  c: CaseRecord,
  document: CaseDocument,
): Promise<boolean> {
  if ((await deps.cases.stages(c.id)).some((s) => s.assigneeId === person.id)) return true;
  // An adjustment's documents are its readers' (组织人事部门, 党群工作部), not the cadre's nor the 纪工委's.
  const readers = workflowOf(c.kind).readers;
  if (readers) return deps.roster.holdsAnyRole(person.id, ...readers);
  if (await deps.roster.holdsAnyRole(person.id, ...OFFICE_ROLES)) return true;
  if (document !== 'submission' && c.applicantId === person.id) return true;
  return document === 'reply' && ((await deps.cases.reply(c.id))?.recipientIds.includes(person.id) ?? false);
}

export const mayExportLedger = (roster: RosterRepository, person: Person): Promise<boolean> => roster.holdsAnyRole(person.id, ...LEDGER_ROLES);
