import type { Person, Role, Unit, UnitKind } from '../../roster/types';
import { select, type Executor } from '../../storage/sql';

/** A person as the rules read them; people who have left are kept, for past years' results. */
export type ZonePerson = Pick<Person, 'id' | 'code' | 'name' | 'post' | 'nature' | 'unitId' | 'cityManaged' | 'leftOn'>;
export type ZoneUnit = Unit;

/**
 * The roster as the 考核 rules read it, loaded in three queries: who is where, the unit tree, and
 * the roles that name a unit's 主要负责人 and 党组织书记.
 */
export class ZoneView {
  private readonly holdersByKey = new Map<string, number[]>();

  constructor(
    readonly people: Map<number, ZonePerson>,
    readonly units: Map<number, ZoneUnit>,
    roles: { personId: number; role: Role; unitId: number }[],
  ) {
    for (const r of roles) {
      const key = `${r.role}@${r.unitId}`;
      this.holdersByKey.set(key, [...(this.holdersByKey.get(key) ?? []), r.personId]);
    }
  }

  static async load(ex: Executor): Promise<ZoneView> {
    const people = await select<{ id: number; code: string; name: string; post: string; nature: string; unit_id: number; city_managed: number; left_on: string | null }>(
      ex,
      'SELECT id, code, name, post, nature, unit_id, city_managed, left_on FROM people',
    );
    const units = await select<{ id: number; code: string; name: string; kind: UnitKind; parent_id: number | null }>(ex, 'SELECT id, code, name, kind, parent_id FROM units');
    const roles = await select<{ person_id: number; role: Role; unit_id: number }>(
      ex,
      `SELECT person_id, role, unit_id FROM role_assignments WHERE role IN ('unitLeader', 'partySecretary') ORDER BY id`,
    );
    return new ZoneView(
      new Map(
        people.map((p) => [
          Number(p.id),
          { id: Number(p.id), code: p.code, name: p.name, post: p.post, nature: p.nature, unitId: Number(p.unit_id), cityManaged: Number(p.city_managed) === 1, leftOn: p.left_on },
        ]),
      ),
      new Map(units.map((u) => [Number(u.id), { id: Number(u.id), code: u.code, name: u.name, kind: u.kind, parentId: u.parent_id === null ? null : Number(u.parent_id) }])),
      roles.map((r) => ({ personId: Number(r.person_id), role: r.role, unitId: Number(r.unit_id) })),
    );
  }

  /** The people still on the roster who hold `role` on the unit itself. */
  holders(role: 'unitLeader' | 'partySecretary', unitId: number): ZonePerson[] {
    return (this.holdersByKey.get(`${role}@${unitId}`) ?? []).map((id) => this.people.get(id)!).filter((p) => p && !p.leftOn);
  }

  /** The unit and its ancestors, nearest first. */
  chain(unitId: number): ZoneUnit[] {
    const chain: ZoneUnit[] = [];
    for (let u = this.units.get(unitId); u && chain.length <= this.units.size; u = u.parentId === null ? undefined : this.units.get(u.parentId)) chain.push(u);
    return chain;
  }

  /** The unit's name with the 镇街园 or 机关部门 it belongs to: 利港街道城建科. */
  unitName(unitId: number): string {
    return this.chain(unitId)
      .filter((u) => u.kind !== '开发区')
      .reverse()
      .map((u) => u.name)
      .join('');
  }

  /**
   * 机关企业性质人员 (激励办法 第九条（六）, 能上能下办法 第八条（八）): 企业性质 staff of the zone's
   * 机关 — a 机关部门, 镇街园 or 特色园区 and their 内设机构, not a 国资公司, 事业单位 or 村（社区）.
   */
  isOfficeEnterpriseStaff(person: ZonePerson): boolean {
    if (!/企业性质/.test(person.nature)) return false;
    return !this.chain(person.unitId).some((u) => u.kind === '国资公司' || u.kind === '事业单位' || u.kind === '村/社区');
  }

  /** 激励办法 第十一条（五）: 机关部门、镇街园、村（社区） (their 内设机构 included). */
  inHealthRetreatUnits(person: ZonePerson): boolean {
    return this.chain(person.unitId).some((u) => u.kind === '机关部门' || u.kind === '镇街园' || u.kind === '村/社区');
  }
}
