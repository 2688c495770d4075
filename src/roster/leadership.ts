import type { RosterRepository } from './rosterRepository';
import type { Person, Role } from './types';

/** The roles that make someone a leader of the people in a unit and the units below it. */
export const LEADER_ROLES: ReadonlySet<Role> = new Set<Role>(['unitLeader', 'supervisingLeader', 'departmentHead', 'partySecretary']);

/** Whether `readerId` leads any of `people` (themself excepted): holds a leader role on a unit up their unit chain. */
export async function leadsAnyOf(roster: RosterRepository, readerId: number, people: Person[]): Promise<boolean> {
  const leads = new Set((await roster.rolesOf(readerId)).filter((r) => LEADER_ROLES.has(r.role)).map((r) => r.unitId));
  if (leads.size === 0) return false;
  for (const person of people) {
    if (person.id === readerId) continue;
    if ((await roster.unitChain(person.unitId)).some((u) => leads.has(u.id))) return true;
  }
  return false;
}
