import type { DataSource } from 'typeorm';
import type { ChannelIdentity, Person, Role, RoleAssignment, Unit, UnitKind } from './types';

interface PersonRow {
  id: number;
  code: string;
  name: string;
  post: string;
  nature: string;
  unit_id: number;
  city_managed: number;
  wecom_user_id: string | null;
  dingtalk_user_id: string | null;
  joined_on: string | null;
  left_on: string | null;
}

interface UnitRow {
  id: number;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
}

const toPerson = (r: PersonRow): Person => ({
  id: Number(r.id),
  code: r.code,
  name: r.name,
  post: r.post,
  nature: r.nature,
  unitId: Number(r.unit_id),
  cityManaged: Number(r.city_managed) === 1,
  wecomUserId: r.wecom_user_id,
  dingtalkUserId: r.dingtalk_user_id,
  joinedOn: r.joined_on,
  leftOn: r.left_on,
});

const toUnit = (r: UnitRow): Unit => ({
  id: Number(r.id),
  code: r.code,
  name: r.name,
  kind: r.kind as UnitKind,
  parentId: r.parent_id === null ? null : Number(r.parent_id),
});

const IDENTITY_COLUMN: Record<ChannelIdentity['channel'], string> = {
  simulator: 'code',
  wecom: 'wecom_user_id',
  dingtalk: 'dingtalk_user_id',
};

/** Reads the org roster. Returns plain objects; the roster is written only by import and sync. */
export class RosterRepository {
  constructor(private readonly db: DataSource) {}

  async personByIdentity({ channel, channelUserId }: ChannelIdentity): Promise<Person | undefined> {
    const rows: PersonRow[] = await this.db.query(
      `SELECT * FROM people WHERE ${IDENTITY_COLUMN[channel]} = ? AND left_on IS NULL`,
      [channelUserId],
    );
    return rows[0] && toPerson(rows[0]);
  }

  /**
   * The people of several identities in one query, in the order asked: each identity has its own
   * SELECT (joined by UNION ALL, tagged with its place), so that each matches as personByIdentity's does.
   */
  async peopleByIdentities(identities: readonly ChannelIdentity[]): Promise<(Person | undefined)[]> {
    if (identities.length === 0) return [];
    const rows: (PersonRow & { asked: number | string })[] = await this.db.query(
      identities.map(({ channel }) => `SELECT ? AS asked, people.* FROM people WHERE ${IDENTITY_COLUMN[channel]} = ? AND left_on IS NULL`).join(' UNION ALL '),
      identities.flatMap(({ channelUserId }, i) => [i, channelUserId]),
    );
    const found = new Map<number, Person>();
    for (const row of rows) if (!found.has(Number(row.asked))) found.set(Number(row.asked), toPerson(row));
    return identities.map((_, i) => found.get(i));
  }

  async personByCode(code: string): Promise<Person | undefined> {
    const rows: PersonRow[] = await this.db.query('SELECT * FROM people WHERE code = ? AND left_on IS NULL', [code]);
    return rows[0] && toPerson(rows[0]);
  }

  async person(id: number): Promise<Person | undefined> {
    const rows: PersonRow[] = await this.db.query('SELECT * FROM people WHERE id = ?', [id]);
    return rows[0] && toPerson(rows[0]);
  }

  async peopleNamed(name: string): Promise<Person[]> {
    const rows: PersonRow[] = await this.db.query('SELECT * FROM people WHERE name = ? AND left_on IS NULL ORDER BY id', [name]);
    return rows.map(toPerson);
  }

  async activePeople(): Promise<Person[]> {
    const rows: PersonRow[] = await this.db.query('SELECT * FROM people WHERE left_on IS NULL ORDER BY id');
    return rows.map(toPerson);
  }

  /** Everyone, people who left included, by code: the roster as it is exported. */
  async allPeople(): Promise<Person[]> {
    const rows: PersonRow[] = await this.db.query('SELECT * FROM people ORDER BY code');
    return rows.map(toPerson);
  }

  async unit(id: number): Promise<Unit | undefined> {
    const rows: UnitRow[] = await this.db.query('SELECT * FROM units WHERE id = ?', [id]);
    return rows[0] && toUnit(rows[0]);
  }

  async units(): Promise<Unit[]> {
    const rows: UnitRow[] = await this.db.query('SELECT * FROM units ORDER BY id');
    return rows.map(toUnit);
  }

  /** The unit and its ancestors, nearest first: the path along which roles are looked up. */
  async unitChain(unitId: number): Promise<Unit[]> {
    const all = new Map((await this.units()).map((u) => [u.id, u]));
    const chain: Unit[] = [];
    for (let u = all.get(unitId); u && chain.length <= all.size; u = u.parentId === null ? undefined : all.get(u.parentId)) {
      chain.push(u);
    }
    return chain;
  }

  async rolesOf(personId: number): Promise<RoleAssignment[]> {
    const rows: { person_id: number; role: Role; unit_id: number }[] = await this.db.query(
      'SELECT person_id, role, unit_id FROM role_assignments WHERE person_id = ? ORDER BY id',
      [personId],
    );
    return rows.map((r) => ({ personId: Number(r.person_id), role: r.role, unitId: Number(r.unit_id) }));
  }

  /** Whether the person holds any of these roles, on any unit: who may use an office's commands. */
  async holdsAnyRole(personId: number, ...roles: Role[]): Promise<boolean> {
    return (await this.rolesOf(personId)).some((r) => roles.includes(r.role));
  }

  async holders(role: Role, unitId: number): Promise<Person[]> {
    const rows: PersonRow[] = await this.db.query(
      `SELECT p.* FROM people p JOIN role_assignments r ON r.person_id = p.id
       WHERE r.role = ? AND r.unit_id = ? AND p.left_on IS NULL ORDER BY p.id`,
      [role, unitId],
    );
    return rows.map(toPerson);
  }

  /**
   * The holders of `role` for `unitId`: on the unit itself or, failing that, on the nearest
   * ancestor that has one (the 属地纪工委 of a 村 is its 镇's, for example).
   */
  async nearestHolders(role: Role, unitId: number): Promise<{ unit: Unit; people: Person[] } | undefined> {
    for (const unit of await this.unitChain(unitId)) {
      const people = await this.holders(role, unit.id);
      if (people.length > 0) return { unit, people };
    }
    return undefined;
  }

  async counts(): Promise<{ units: number; people: number; roles: number }> {
    const [row]: { units: number; people: number; roles: number }[] = await this.db.query(
      `SELECT (SELECT COUNT(*) FROM units) AS units, (SELECT COUNT(*) FROM people) AS people,
              (SELECT COUNT(*) FROM role_assignments) AS roles`,
    );
    return { units: Number(row.units), people: Number(row.people), roles: Number(row.roles) };
  }
}
