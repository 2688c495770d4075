import { zoneDate } from '../../clock';
import { stageByKey, pathOf } from '../../domain/workflow/chain';
import { statusLabel } from '../../domain/workflow/describe';
import type { CaseKind, CaseRecord, CaseStatus, ReviewRecord, StageRecord, TaskRecord } from '../../domain/workflow/types';
import type { Unit } from '../../roster/types';
import { descendants } from '../../documents/ledger';
import type { Services } from '../../services';
import { workingDaysBetween } from '../../scheduling/workdays';
import type { Viewer } from '../access';
import { readsKind } from '../cases/caseAccess';
import { workflowOf } from '../../domain/workflows';
import type { CaseListItem, PersonRef } from './contract';

/** A case with everything the console shows of it, read once per request through the repositories the chat uses. */
export interface LoadedCase {
  c: CaseRecord;
  stages: StageRecord[];
  tasks: TaskRecord[];
  /** Pending opinions of an open 集体会审. */
  reviews: ReviewRecord[];
  item: CaseListItem;
}

export interface CaseFilter {
  kind?: CaseKind;
  status?: CaseStatus;
  /** The unit and the units below it. */
  unitCode?: string;
  /** Filed in this zone year. */
  year?: number;
  /** An open stage of this key (unit, discipline, committee …). */
  stage?: string;
  /** A roster code: cases waiting on this person (an open stage, a pending 会审 opinion, an open task). */
  waitingOn?: string;
}

/**
 * Which cases a viewer sees on the console: 党群工作部 all; a 纪工委 member those of their territory
 * (澄清正名 included); 组织人事部门 the exemptions (容错 granted, or granted then revoked) and the
 * adjustments; everyone the cases they applied for and those they hold or held a stage, an opinion or
 * a task of (their 待办). An adjustment is not shown to the cadre it is about, nor to the 纪工委.
 */
export function caseVisible(viewer: Viewer, k: Pick<LoadedCase, 'c' | 'stages' | 'tasks' | 'reviews'>): boolean {
  const me = viewer.person.id;
  const def = workflowOf(k.c.kind);
  if (readsKind(viewer, def)) return true;
  if (!def.readers && (viewer.disciplineUnits.has(k.c.unitId) || k.c.applicantId === me)) return true;
  if (viewer.personnel && k.c.kind === 'tolerance' && (k.c.status === 'granted' || k.c.status === 'revoked')) return true;
  return k.stages.some((s) => s.assigneeId === me) || k.tasks.some((t) => t.assigneeId === me) || k.reviews.some((r) => r.reviewerId === me);
}

/** The cases the viewer may see, each as the console lists it, oldest first. */
export async function loadCases(services: Services, viewer: Viewer, now: Date): Promise<LoadedCase[]> {
  const today = zoneDate(now);
  const [units, people] = await Promise.all([services.roster.units(), services.roster.allPeople()]);
  const unitOf = new Map(units.map((u) => [u.id, u]));
  const personOf = new Map(people.map((p) => [p.id, p]));
  const ref = (id: number | null): PersonRef | null => {
    const p = id === null ? undefined : personOf.get(id);
    return p ? { code: p.code, name: p.name } : null;
  };
  const loaded: LoadedCase[] = [];
  for (const c of await services.cases.list()) {
    const [stages, tasks] = await Promise.all([services.cases.stages(c.id), services.cases.tasks(c.id)]);
    const reviews = (await Promise.all(stages.filter((s) => s.status === 'pending').map((s) => services.cases.reviews(s.id)))).flat();
    if (!caseVisible(viewer, { c, stages, tasks, reviews })) continue;
    const def = services.workflow.definition(c.kind);
    const open = stages.filter((s) => s.status === 'pending' || s.status === 'blocked');
    const openTasks = tasks.filter((t) => t.status === 'open');
    const waiting = new Map<string, PersonRef>();
    for (const id of [...open.map((s) => s.assigneeId), ...reviews.filter((r) => r.status === 'pending').map((r) => r.reviewerId), ...openTasks.map((t) => t.assigneeId)]) {
      const p = ref(id);
      if (p) waiting.set(p.code, p);
    }
    const unit = unitOf.get(c.unitId);
    const reply = (c.status === 'granted' || c.status === 'rejected' || c.status === 'revoked') ? await services.cases.reply(c.id) : undefined;
    loaded.push({
      c, stages, tasks, reviews,
      item: {
        number: c.number,
        kind: c.kind,
        kindTitle: def.title,
        status: c.status,
        statusLabel: statusLabel(def, c),
        applicant: ref(c.applicantId) ?? { code: '', name: '' },
        unit: unit?.name ?? '',
        unitCode: unit?.code ?? '',
        filedOn: zoneDate(new Date(c.createdAt)),
        path: pathOf(def, c).title,
        integrated: c.integrated,
        stages: open.map((s) => ({
          key: s.stageKey,
          title: stageByKey(def, s.stageKey).title,
          assignee: ref(s.assigneeId),
          blocked: s.status === 'blocked',
          openedOn: zoneDate(new Date(s.openedAt)),
          waitedWorkingDays: workingDaysBetween(zoneDate(new Date(s.openedAt)), today),
        })),
        tasks: openTasks.map((t) => ({ kind: t.kind, title: t.title, assignee: ref(t.assigneeId), dueOn: t.dueOn, overdue: t.dueOn !== null && t.dueOn < today })),
        waitingOn: [...waiting.values()],
        reportedOn: c.reportedOn,
        documents: { form: true, reply: Boolean(reply), submission: c.path === 'city' },
      },
    });
  }
  return loaded;
}

/** The cases a console filter selects among those loaded; an unknown unit code selects none. */
export function filterCases(loaded: LoadedCase[], filter: CaseFilter, units: Unit[]): LoadedCase[] {
  const root = filter.unitCode ? units.find((u) => u.code === filter.unitCode) : undefined;
  const inUnit = filter.unitCode ? (root ? descendants(units, root.id) : new Set<number>()) : undefined;
  return loaded.filter(({ c, item }) =>
    (!filter.kind || c.kind === filter.kind) &&
    (!filter.status || c.status === filter.status) &&
    (!inUnit || inUnit.has(c.unitId)) &&
    (!filter.year || item.filedOn.startsWith(`${filter.year}-`)) &&
    (!filter.stage || item.stages.some((s) => s.key === filter.stage)) &&
    (!filter.waitingOn || item.waitingOn.some((p) => p.code === filter.waitingOn)),
  );
}
