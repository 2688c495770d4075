import { select, type Executor } from '../storage/sql';

/** Everyone on the roster with the 党群工作部 role: who gets the zone-wide lists. */
export async function partyAffairsAdminIds(ex: Executor): Promise<number[]> {
  const rows = await select<{ person_id: number }>(
    ex,
    `SELECT DISTINCT r.person_id FROM role_assignments r JOIN people p ON p.id = r.person_id
     WHERE r.role = 'partyAffairsAdmin' AND p.left_on IS NULL ORDER BY r.person_id`,
  );
  return rows.map((r) => Number(r.person_id));
}
