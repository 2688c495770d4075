import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../clock';
import { insert, select, update } from '../storage/sql';
import {
  PERSON_COLUMNS,
  readRosterFile,
  RosterImportError,
  UNIT_COLUMNS,
  type PersonRow,
  type RosterFile,
  type RosterProblem,
  type UnitRow,
} from './rosterFile';
import { ROLES, UNIT_KINDS, type Role, type UnitKind } from './types';

export { readRosterBytes, RosterImportError, type RosterFile, type RosterProblem } from './rosterFile';

export interface Entry {
  code: string;
  name: string;
}
export interface ChangedEntry extends Entry {
  /** Column headers of the fields that changed, as HR staff know them (职务, 单位编码…). */
  fields: string[];
}
export interface RoleChange {
  personCode: string;
  personName: string;
  role: string;
  unitCode: string;
}
export interface ImportReport {
  units: { added: Entry[]; updated: ChangedEntry[]; unchanged: number };
  people: { added: Entry[]; updated: ChangedEntry[]; unchanged: number };
  roles: { added: RoleChange[]; removed: RoleChange[] };
}

interface UnitPlan {
  code: string;
  name: string;
  kind: UnitKind;
  parentCode: string | null;
}
interface PersonPlan {
  code: string;
  name: string;
  unitCode: string;
  post: string;
  nature: string;
  cityManaged: boolean;
  wecomUserId: string | null;
  dingtalkUserId: string | null;
  joinedOn: string | null;
  leftOn: string | null;
  roles: { role: Role; unitCode: string }[];
}
interface UnitRecord {
  id: number;
  code: string;
  name: string;
  kind: string;
  parent_id: number | null;
}
interface PersonRecord {
  id: number;
  code: string;
  name: string;
  unit_id: number;
  post: string;
  nature: string;
  city_managed: number;
  wecom_user_id: string | null;
  dingtalk_user_id: string | null;
  joined_on: string | null;
  left_on: string | null;
}
interface RoleRecord {
  id: number;
  person_id: number;
  role: Role;
  unit_id: number;
}
interface Current {
  units: Map<string, UnitRecord>;
  people: Map<string, PersonRecord>;
  roles: RoleRecord[];
}

const ROLE_BY_LABEL = new Map(Object.entries(ROLES).map(([role, label]) => [label as string, role as Role]));
const ROLE_SEPARATOR = /[;；、]/;
const LIMITS = { code: 64, unitName: 100, personName: 50, post: 100, nature: 20, userId: 64 };

/**
 * Checks the whole roster against itself and the database, then writes units, people and the
 * roles of the people in the file in one transaction. Any problem throws RosterImportError and
 * nothing is written. People and units absent from the file are left as they are: a roster of one
 * 镇街园 must not retire the rest of the zone.
 */
export async function importRoster(db: DataSource, roster: RosterFile, clock: Clock, options: { dryRun?: boolean } = {}): Promise<ImportReport> {
  const now = clock.now().toISOString();
  try {
    return await db.transaction(async (m) => {
      const current = await loadCurrent(m);
      const problems: RosterProblem[] = [];
      const units = planUnits(roster.units, current, problems);
      const people = planPeople(roster.people, units, current, problems);
      if (problems.length > 0) throw new RosterImportError(problems);
      const report = await write(m, units, people, current, now);
      // A preview runs the very same writes and rolls them back: what it reports is what applying would do.
      if (options.dryRun) throw new RolledBack(report);
      return report;
    });
  } catch (error) {
    if (error instanceof RolledBack) return error.report;
    throw error;
  }
}

class RolledBack extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

export async function importRosterFile(db: DataSource, path: string, clock: Clock): Promise<ImportReport> {
  return importRoster(db, await readRosterFile(path), clock);
}

async function loadCurrent(m: EntityManager): Promise<Current> {
  const units = await select<UnitRecord>(m, 'SELECT id, code, name, kind, parent_id FROM units');
  const people = await select<PersonRecord>(m, 'SELECT * FROM people');
  const roles = await select<RoleRecord>(m, 'SELECT id, person_id, role, unit_id FROM role_assignments ORDER BY id');
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    units: new Map(units.map((u) => [u.code, { ...u, id: Number(u.id), parent_id: num(u.parent_id) }])),
    people: new Map(people.map((p) => [p.code, { ...p, id: Number(p.id), unit_id: Number(p.unit_id), city_managed: Number(p.city_managed) }])),
    roles: roles.map((r) => ({ ...r, id: Number(r.id), person_id: Number(r.person_id), unit_id: Number(r.unit_id) })),
  };
}

function required(row: { row: string }, value: string, header: string, max: number, problems: RosterProblem[]): void {
  if (value === '') problems.push({ row: row.row, reason: `“${header}”不能为空` });
  else if (value.length > max) problems.push({ row: row.row, reason: `“${header}”超过 ${max} 个字` });
}

/** Later rows repeating a key are the mistake; the first is where the reader should look. */
function firstSeen<T extends { row: string }>(seen: Map<string, T>, key: string, row: T): T | undefined {
  const first = seen.get(key);
  if (!first) seen.set(key, row);
  return first;
}

function planUnits(rows: UnitRow[], current: Current, problems: RosterProblem[]): Map<string, UnitPlan> {
  const plans = new Map<string, UnitPlan>();
  const seen = new Map<string, UnitRow>();
  for (const row of rows) {
    const before = problems.length;
    required(row, row.code, UNIT_COLUMNS.code, LIMITS.code, problems);
    required(row, row.name, UNIT_COLUMNS.name, LIMITS.unitName, problems);
    if (row.kind === '') problems.push({ row: row.row, reason: `“${UNIT_COLUMNS.kind}”不能为空` });
    else if (!(UNIT_KINDS as readonly string[]).includes(row.kind)) {
      problems.push({ row: row.row, reason: `单位类型“${row.kind}”不存在，应为：${UNIT_KINDS.join('、')}` });
    }
    const first = row.code === '' ? undefined : firstSeen(seen, row.code, row);
    if (first) problems.push({ row: row.row, reason: `单位编码“${row.code}”重复（${first.row}已有）` });
    if (problems.length === before) {
      plans.set(row.code, { code: row.code, name: row.name, kind: row.kind as UnitKind, parentCode: row.parentCode || null });
    }
  }
  const known = (code: string) => seen.has(code) || current.units.has(code);
  for (const row of rows) {
    if (row.parentCode === '') continue;
    if (row.parentCode === row.code) problems.push({ row: row.row, reason: '上级编码不能是本单位' });
    else if (!known(row.parentCode)) problems.push({ row: row.row, reason: `上级编码“${row.parentCode}”不存在` });
  }
  reportCycles(rows, plans, current, problems);
  return plans;
}

/** Parents after the import: the file's word where it has one, the database's otherwise. */
function reportCycles(rows: UnitRow[], plans: Map<string, UnitPlan>, current: Current, problems: RosterProblem[]): void {
  const codeById = new Map([...current.units.values()].map((u) => [u.id, u.code]));
  const parentOf = (code: string): string | null => {
    const plan = plans.get(code);
    if (plan) return plan.parentCode;
    const parentId = current.units.get(code)?.parent_id;
    return parentId == null ? null : (codeById.get(parentId) ?? null);
  };
  for (const row of rows) {
    if (!plans.has(row.code) || row.parentCode === row.code) continue;
    const path = [row.code];
    for (let code = parentOf(row.code); code !== null && path.length <= plans.size + codeById.size; code = parentOf(code)) {
      path.push(code);
      if (code === row.code) {
        problems.push({ row: row.row, reason: `上级关系成环：${path.join(' → ')}` });
        break;
      }
    }
  }
}

function planPeople(rows: PersonRow[], units: Map<string, UnitPlan>, current: Current, problems: RosterProblem[]): PersonPlan[] {
  const unitKnown = (code: string) => units.has(code) || current.units.has(code);
  const fileCodes = new Set(rows.map((r) => r.code));
  const seenCodes = new Map<string, PersonRow>();
  const seenIds = { wecomUserId: new Map<string, PersonRow>(), dingtalkUserId: new Map<string, PersonRow>() };
  const people = [...current.people.values()];
  const holders = {
    wecomUserId: new Map(people.filter((p) => p.wecom_user_id !== null).map((p) => [p.wecom_user_id, p])),
    dingtalkUserId: new Map(people.filter((p) => p.dingtalk_user_id !== null).map((p) => [p.dingtalk_user_id, p])),
  };
  const plans: PersonPlan[] = [];
  for (const row of rows) {
    const before = problems.length;
    const problem = (reason: string) => problems.push({ row: row.row, reason });
    required(row, row.code, PERSON_COLUMNS.code, LIMITS.code, problems);
    required(row, row.name, PERSON_COLUMNS.name, LIMITS.personName, problems);
    required(row, row.post, PERSON_COLUMNS.post, LIMITS.post, problems);
    required(row, row.nature, PERSON_COLUMNS.nature, LIMITS.nature, problems);
    if (row.unitCode === '') problem(`“${PERSON_COLUMNS.unitCode}”不能为空`);
    else if (!unitKnown(row.unitCode)) problem(`单位编码“${row.unitCode}”不存在`);
    const first = row.code === '' ? undefined : firstSeen(seenCodes, row.code, row);
    if (first) problem(`人员编号“${row.code}”重复（${first.row}已有）`);

    const cityManaged = ['是', '否', ''].includes(row.cityManaged) ? row.cityManaged === '是' : undefined;
    if (cityManaged === undefined) problem(`“${PERSON_COLUMNS.cityManaged}”应填“是”或“否”，不是“${row.cityManaged}”`);

    for (const key of ['wecomUserId', 'dingtalkUserId'] as const) {
      const id = row[key];
      if (id === '') continue;
      const header = PERSON_COLUMNS[key];
      const holder = holders[key].get(id);
      const earlier = firstSeen(seenIds[key], id, row);
      if (id.length > LIMITS.userId) problem(`“${header}”超过 ${LIMITS.userId} 个字`);
      else if (earlier) problem(`${header}“${id}”重复（${earlier.row}已用）`);
      else if (holder && !fileCodes.has(holder.code)) problem(`${header}“${id}”已属于不在本文件中的 ${holder.code} ${holder.name}`);
    }

    const joinedOn = parseDate(row.joinedOn);
    const leftOn = parseDate(row.leftOn);
    if (joinedOn === undefined) problem(`${PERSON_COLUMNS.joinedOn}“${row.joinedOn}”不是有效日期（如 2021-03-01）`);
    if (leftOn === undefined) problem(`${PERSON_COLUMNS.leftOn}“${row.leftOn}”不是有效日期（如 2021-03-01）`);
    if (joinedOn && leftOn && leftOn < joinedOn) problem('离开日期早于入职日期');

    const roles = parseRoles(row, unitKnown, problem);
    if (problems.length === before) {
      plans.push({
        code: row.code,
        name: row.name,
        unitCode: row.unitCode,
        post: row.post,
        nature: row.nature,
        cityManaged: cityManaged === true,
        wecomUserId: row.wecomUserId || null,
        dingtalkUserId: row.dingtalkUserId || null,
        joinedOn: joinedOn ?? null,
        leftOn: leftOn ?? null,
        roles,
      });
    }
  }
  return plans;
}

/** Accepts 2021-3-1, 2021/03/01 and 2021.3.1 as typed in spreadsheets; undefined means invalid, null empty. */
function parseDate(text: string): string | null | undefined {
  if (text === '') return null;
  const match = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

function parseRoles(row: PersonRow, unitKnown: (code: string) => boolean, problem: (reason: string) => void): PersonPlan['roles'] {
  const roles = new Map<string, { role: Role; unitCode: string }>();
  for (const item of row.roles.replace(/＠/g, '@').split(ROLE_SEPARATOR)) {
    const text = item.trim();
    if (text === '') continue;
    const at = text.indexOf('@');
    const label = (at < 0 ? text : text.slice(0, at)).trim();
    // The person's own unit is already checked where it is given; only an explicit one is checked here.
    const unitCode = at < 0 ? row.unitCode : text.slice(at + 1).trim();
    const role = ROLE_BY_LABEL.get(label);
    if (!role) problem(`角色“${label}”不存在，应为：${Object.values(ROLES).join('、')}`);
    else if (at >= 0 && unitCode === '') problem(`角色“${text}”的“@”后缺少单位编码`);
    else if (at >= 0 && !unitKnown(unitCode)) problem(`角色“${text}”中的单位编码“${unitCode}”不存在`);
    else roles.set(`${role}@${unitCode}`, { role, unitCode });
  }
  return [...roles.values()];
}

async function write(m: EntityManager, units: Map<string, UnitPlan>, people: PersonPlan[], current: Current, now: string): Promise<ImportReport> {
  const report: ImportReport = {
    units: { added: [], updated: [], unchanged: 0 },
    people: { added: [], updated: [], unchanged: 0 },
    roles: { added: [], removed: [] },
  };

  // New units go in without parents first, so that a child may come before its parent in the file.
  for (const unit of units.values()) {
    if (current.units.has(unit.code)) continue;
    await insert(m, 'units', { code: unit.code, name: unit.name, kind: unit.kind, parent_id: null, created_at: now, updated_at: now });
    report.units.added.push({ code: unit.code, name: unit.name });
  }
  const unitIds = await idsByCode(m, 'units');
  const unitCodes = new Map([...unitIds].map(([code, id]) => [id, code]));
  for (const unit of units.values()) {
    const parentId = unit.parentCode === null ? null : unitIds.get(unit.parentCode)!;
    const before = current.units.get(unit.code);
    if (!before) {
      if (parentId !== null) await update(m, 'units', { parent_id: parentId }, 'code = ?', [unit.code]);
      continue;
    }
    const fields = changed([
      [UNIT_COLUMNS.name, before.name, unit.name],
      [UNIT_COLUMNS.kind, before.kind, unit.kind],
      [UNIT_COLUMNS.parentCode, before.parent_id, parentId],
    ]);
    if (fields.length === 0) report.units.unchanged++;
    else {
      await update(m, 'units', { name: unit.name, kind: unit.kind, parent_id: parentId, updated_at: now }, 'id = ?', [before.id]);
      report.units.updated.push({ code: unit.code, name: unit.name, fields });
    }
  }

  const columns = (p: PersonPlan) => ({
    name: p.name,
    unit_id: unitIds.get(p.unitCode)!,
    post: p.post,
    nature: p.nature,
    city_managed: p.cityManaged ? 1 : 0,
    wecom_user_id: p.wecomUserId,
    dingtalk_user_id: p.dingtalkUserId,
    joined_on: p.joinedOn,
    left_on: p.leftOn,
  });
  // Messenger ids may move between people in one import; clearing the moving ones first keeps
  // the unique indexes satisfied at every step.
  for (const p of people) {
    const before = current.people.get(p.code);
    if (!before) continue;
    const clear: Record<string, null> = {};
    if (before.wecom_user_id !== null && before.wecom_user_id !== p.wecomUserId) clear.wecom_user_id = null;
    if (before.dingtalk_user_id !== null && before.dingtalk_user_id !== p.dingtalkUserId) clear.dingtalk_user_id = null;
    if (Object.keys(clear).length > 0) await update(m, 'people', clear, 'id = ?', [before.id]);
  }
  for (const p of people) {
    const before = current.people.get(p.code);
    const after = columns(p);
    if (!before) {
      await insert(m, 'people', { code: p.code, ...after, created_at: now, updated_at: now });
      report.people.added.push({ code: p.code, name: p.name });
      continue;
    }
    const fields = changed([
      [PERSON_COLUMNS.name, before.name, after.name],
      [PERSON_COLUMNS.unitCode, before.unit_id, after.unit_id],
      [PERSON_COLUMNS.post, before.post, after.post],
      [PERSON_COLUMNS.nature, before.nature, after.nature],
      [PERSON_COLUMNS.cityManaged, before.city_managed, after.city_managed],
      [PERSON_COLUMNS.wecomUserId, before.wecom_user_id, after.wecom_user_id],
      [PERSON_COLUMNS.dingtalkUserId, before.dingtalk_user_id, after.dingtalk_user_id],
      [PERSON_COLUMNS.joinedOn, before.joined_on, after.joined_on],
      [PERSON_COLUMNS.leftOn, before.left_on, after.left_on],
    ]);
    if (fields.length === 0) report.people.unchanged++;
    else {
      await update(m, 'people', { ...after, updated_at: now }, 'id = ?', [before.id]);
      report.people.updated.push({ code: p.code, name: p.name, fields });
    }
  }

  const personIds = await idsByCode(m, 'people');
  for (const p of people) {
    const personId = personIds.get(p.code)!;
    const held = current.roles.filter((r) => r.person_id === personId);
    const wanted = p.roles.map((r) => ({ role: r.role, unitId: unitIds.get(r.unitCode)! }));
    const change = (role: Role, unitId: number): RoleChange => ({
      personCode: p.code,
      personName: p.name,
      role: ROLES[role],
      unitCode: unitCodes.get(unitId)!,
    });
    for (const r of held) {
      if (wanted.some((w) => w.role === r.role && w.unitId === r.unit_id)) continue;
      await m.query('DELETE FROM role_assignments WHERE id = ?', [r.id]);
      report.roles.removed.push(change(r.role, r.unit_id));
    }
    for (const w of wanted) {
      if (held.some((r) => r.role === w.role && r.unit_id === w.unitId)) continue;
      await insert(m, 'role_assignments', { person_id: personId, role: w.role, unit_id: w.unitId, created_at: now });
      report.roles.added.push(change(w.role, w.unitId));
    }
  }
  return report;
}

async function idsByCode(m: EntityManager, table: 'units' | 'people'): Promise<Map<string, number>> {
  const rows = await select<{ id: number; code: string }>(m, `SELECT id, code FROM ${table}`);
  return new Map(rows.map((r) => [r.code, Number(r.id)]));
}

function changed(pairs: [string, unknown, unknown][]): string[] {
  return pairs.filter(([, before, after]) => before !== after).map(([field]) => field);
}

const DETAIL_LIMIT = 20;

function details<T>(label: string, items: T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, DETAIL_LIMIT).map((item) => `  ${label} ${line(item)}`);
  return items.length > DETAIL_LIMIT ? [...shown, `  ……另有 ${items.length - DETAIL_LIMIT} 条${label}`] : shown;
}

/** The summary shown to whoever ran the import: counts first, then what exactly changed. */
export function formatReport(report: ImportReport): string {
  const { units, people, roles } = report;
  const entry = (e: Entry) => `${e.code} ${e.name}`;
  const changedEntry = (e: ChangedEntry) => `${entry(e)}：${e.fields.join('、')}`;
  const role = (r: RoleChange) => `${r.personCode} ${r.personName} ${r.role}@${r.unitCode}`;
  return [
    `单位：新增 ${units.added.length}，更新 ${units.updated.length}，未变 ${units.unchanged}`,
    ...details('新增', units.added, entry),
    ...details('更新', units.updated, changedEntry),
    `人员：新增 ${people.added.length}，更新 ${people.updated.length}，未变 ${people.unchanged}`,
    ...details('新增', people.added, entry),
    ...details('更新', people.updated, changedEntry),
    `角色：新增 ${roles.added.length}，撤销 ${roles.removed.length}`,
    ...details('新增', roles.added, role),
    ...details('撤销', roles.removed, role),
  ].join('\n');
}
