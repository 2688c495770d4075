import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person, Role } from '../../roster/types';

/**
 * The person who holds `role` for a unit: on the unit itself or its nearest ancestor. Nobody
 * decides on their own case, so the applicant is passed over (and the search goes up a level).
 */
export async function resolveHolder(roster: RosterRepository, role: Role, unitId: number, exclude: number[]): Promise<Person | undefined> {
  for (const unit of await roster.unitChain(unitId)) {
    const eligible = (await roster.holders(role, unit.id)).filter((p) => !exclude.includes(p.id));
    if (eligible.length > 0) return eligible[0];
  }
  return undefined;
}
