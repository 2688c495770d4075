import type { RosterRepository } from '../roster/rosterRepository';
import type { Person, Role, RoleAssignment, Unit } from '../roster/types';
import type { Session } from './sessions';

/** The console's sections; what each person sees is decided here and checked on every request. */
export const SECTIONS = ['overview', 'cases', 'matters', 'exemptions', 'talks', 'roster', 'settings', 'audit'] as const;
export type Section = (typeof SECTIONS)[number];

/** Roles that lead the people of a unit and the units below it: their talk progress is theirs to see. */
const LEADING: ReadonlySet<Role> = new Set<Role>(['unitLeader', 'supervisingLeader', 'departmentHead', 'partySecretary', 'partyCommitteeHead', 'zonePartyHead']);

/** Who is asking, with what their roles let them see. Built once per request from the roster. */
export interface Viewer {
  person: Person;
  session: Session;
  roles: RoleAssignment[];
  /** 党群工作部: administers the system, sees everything. */
  admin: boolean;
  /** 组织人事部门: reads the roster (and, with the case pages, the exemptions and adjustments). */
  personnel: boolean;
  /** The units whose territory this 纪工委 member covers, with all units below them. */
  disciplineUnits: ReadonlySet<number>;
  /** The units this person leads, with all units below them. */
  ledUnits: ReadonlySet<number>;
}

function below(units: Unit[], roots: number[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const u of units) if (u.parentId !== null) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u.id]);
  const seen = new Set<number>();
  for (const queue = [...roots]; queue.length > 0; ) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(children.get(id) ?? []));
  }
  return seen;
}

export async function viewerOf(roster: RosterRepository, person: Person, session: Session): Promise<Viewer> {
  const [roles, units] = await Promise.all([roster.rolesOf(person.id), roster.units()]);
  const on = (...wanted: Role[]) => roles.filter((r) => wanted.includes(r.role)).map((r) => r.unitId);
  return {
    person,
    session,
    roles,
    admin: on('partyAffairsAdmin').length > 0,
    personnel: on('personnelOfficer').length > 0,
    disciplineUnits: below(units, on('disciplineMember')),
    ledUnits: below(units, roles.filter((r) => LEADING.has(r.role)).map((r) => r.unitId)),
  };
}

/**
 * Which sections a viewer may open. 概览: 党群工作部 (the zone), leaders (their units) and the 纪工委
 * (their territory's cases); 案件: everyone (at least the cases they applied for); 谈心谈话: everyone (their own progress at least); 名册: 党群工作部 and 组织人事部门 (read only);
 * 问责事项: 党群工作部 and the 纪工委 (their territory's); 容错免责: 组织人事部门 and 党群工作部 (all)
 * and the 纪工委 (their territory's), as 《容错细则》第十一条 has it;
 * 设置: 党群工作部 (everyone may read the calendar and the frequencies, as in chat); 审计: 党群工作部
 * (all of it) and 纪工委 (what people of their territory did).
 */
export function maySee(viewer: Viewer, section: Section): boolean {
  switch (section) {
    case 'overview':
      return viewer.admin || viewer.ledUnits.size > 0 || viewer.disciplineUnits.size > 0;
    case 'cases':
      return true;
    case 'matters':
      return viewer.admin || viewer.disciplineUnits.size > 0;
    case 'exemptions':
      return viewer.admin || viewer.personnel || viewer.disciplineUnits.size > 0;
    case 'talks':
      return true;
    case 'roster':
      return viewer.admin || viewer.personnel;
    case 'settings':
      return viewer.admin;
    case 'audit':
      return viewer.admin || viewer.disciplineUnits.size > 0;
  }
}

/** 概览's 谈心谈话 part: 党群工作部 and leaders, whose units' talk progress it is. */
export const seesTalkOverview = (viewer: Viewer): boolean => viewer.admin || viewer.ledUnits.size > 0;

export const sectionsOf = (viewer: Viewer): Section[] => SECTIONS.filter((s) => maySee(viewer, s));
