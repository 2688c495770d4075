import type { CaseRepository } from '../../domain/workflow/caseRepository';
import type { CaseRecord, WorkflowDefinition } from '../../domain/workflow/types';
import { workflowOf } from '../../domain/workflows';
import type { Viewer } from '../access';

/**
 * Whether the viewer holds a role that reads every case of this kind: 党群工作部 reads all of them;
 * a kind with its own readers (an adjustment: 组织人事部门 and 党群工作部) is read by those alone.
 */
export function readsKind(viewer: Viewer, def: Pick<WorkflowDefinition, 'readers'>): boolean {
  if (def.readers) return viewer.roles.some((r) => def.readers!.includes(r.role));
  return viewer.admin;
}

/** Whether the viewer holds or held one of the case's stages, or was asked for an opinion at its 集体会审. */
async function tookPart(viewer: Viewer, c: CaseRecord, cases: CaseRepository): Promise<boolean> {
  const me = viewer.person.id;
  const stages = await cases.stages(c.id);
  if (stages.some((s) => s.assigneeId === me || s.decidedBy === me)) return true;
  for (const stage of stages) if ((await cases.reviews(stage.id)).some((r) => r.reviewerId === me)) return true;
  return false;
}

/**
 * Who may open a case's page: its applicant, everyone who holds or held one of its stages (a
 * 集体会审's participants included), the 纪（工）委 of the territory the case's unit lies in, and
 * 党群工作部. A kind with readers of its own (an adjustment) is opened by them and its stages'
 * holders only: not by the cadre it is about, nor the 纪（工）委. Decided on the server for every request.
 */
export async function mayOpenCase(viewer: Viewer, c: CaseRecord, cases: CaseRepository): Promise<boolean> {
  const def = workflowOf(c.kind);
  if (readsKind(viewer, def)) return true;
  if (!def.readers && (c.applicantId === viewer.person.id || viewer.disciplineUnits.has(c.unitId))) return true;
  return tookPart(viewer, c, cases);
}

/** Who the refusal says may open it. */
export function openedBy(c: CaseRecord): string {
  return workflowOf(c.kind).readers ? '组织调整材料仅向组织人事部门、党群工作部和办理人员开放' : '申请材料仅向申请人、审批人、所在区域的纪（工）委和党群工作部开放';
}
