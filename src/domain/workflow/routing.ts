import type { RosterRepository } from '../../roster/rosterRepository';
import { ROLES, type Person, type Role } from '../../roster/types';

/**
 * The person who holds `role` for a unit: on the unit itself or its nearest ancestor. Nobody
 * decides on their own case, so the applicant, when given, is passed over (and the search goes up
 * a level).
 */
export async function resolveHolder(roster: RosterRepository, role: Role, unitId: number, applicantId?: number): Promise<Person | undefined> {
  return (await routeStage(roster, role, unitId, applicantId)).holder;
}

/** Who holds a stage for an applicant, and whether the applicant had to be passed over (回避). */
export interface Routed {
  holder: Person | undefined;
  /** The applicant holds the role themself: the stage went to someone else. */
  recused: boolean;
}

/** resolveHolder, telling also whether the applicant held the role (on the unit that answered or one below it). */
export async function routeStage(roster: RosterRepository, role: Role, unitId: number, applicantId: number | undefined): Promise<Routed> {
  let recused = false;
  for (const unit of await roster.unitChain(unitId)) {
    const holders = await roster.holders(role, unit.id);
    recused ||= holders.some((p) => p.id === applicantId);
    const eligible = holders.filter((p) => p.id !== applicantId);
    if (eligible.length > 0) return { holder: eligible[0], recused };
  }
  return { holder: undefined, recused };
}

/** 因回避，本环节由…办理: what the receipt, the card and the form say of a stage the applicant was passed over for. */
export function recusalText(role: Role, holder: Person): string {
  return `申请人本人为${ROLES[role]}，因回避，本环节由${holder.name}办理`;
}
