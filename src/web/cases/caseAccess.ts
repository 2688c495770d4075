import type { CaseRepository } from '../../domain/workflow/caseRepository';
import type { CaseRecord } from '../../domain/workflow/types';
import type { Viewer } from '../access';

/**
 * Who may open a case's page: its applicant, everyone who holds or held one of its stages (a
 * 集体会审's participants included), the 纪（工）委 of the territory the case's unit lies in, and
 * 党群工作部. Decided on the server for every request.
 */
export async function mayOpenCase(viewer: Viewer, c: CaseRecord, cases: CaseRepository): Promise<boolean> {
  const me = viewer.person.id;
  if (viewer.admin || c.applicantId === me || viewer.disciplineUnits.has(c.unitId)) return true;
  const stages = await cases.stages(c.id);
  if (stages.some((s) => s.assigneeId === me || s.decidedBy === me)) return true;
  for (const stage of stages) if ((await cases.reviews(stage.id)).some((r) => r.reviewerId === me)) return true;
  return false;
}
