import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../clock';
import type { SheetProblem } from '../../imports/sheetFile';
import type { UnitKind } from '../../roster/types';
import { insert, select, update } from '../../storage/sql';
import type { AuditLog } from '../audit';
import { refreshTriggers, type TriggerRefresh } from '../adjustment/triggerRecords';
import { CATEGORIES, CITY_GRADES, GRADE_SCALES, isGrade, parseShare, scaleOf, SOE_RESULTS } from './grades';
import { LedgerImportError, LINE_COLUMNS, PERSON_COLUMNS, readLedgerFile, UNIT_COLUMNS, type LedgerFile, type LineRow, type PersonRow, type UnitRow } from './ledgerFile';

export { LedgerImportError, type LedgerFile } from './ledgerFile';

export interface Entry {
  code: string;
  name: string;
}
export interface ChangedEntry extends Entry {
  /** Column headers of the cells that changed. */
  fields: string[];
}
export interface TableReport {
  added: Entry[];
  updated: ChangedEntry[];
  unchanged: number;
}
export interface LedgerReport {
  year: number;
  people: TableReport;
  units: TableReport;
  lines: TableReport;
  triggers: TriggerRefresh;
}

interface RosterPerson {
  id: number;
  code: string;
  name: string;
  nature: string;
  unitId: number;
}
interface RosterUnit {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  parentId: number | null;
}
interface Roster {
  people: Map<string, RosterPerson>;
  units: Map<string, RosterUnit>;
  unitsById: Map<number, RosterUnit>;
}

/** A row to write: its key in the table, how the report names it, and its columns. */
interface Planned {
  key: string;
  entry: Entry;
  values: Record<string, string | number | null>;
}
interface TableSpec {
  table: 'assessment_people' | 'assessment_units' | 'assessment_lines';
  keyOf(row: Record<string, unknown>): string;
  /** Column → the header the report names it by. */
  headers: Record<string, string>;
}

const YEAR_RANGE = { min: 2000, max: 2100 };
const BATCH = 300;

const PEOPLE_TABLE: TableSpec = {
  table: 'assessment_people',
  keyOf: (r) => String(Number(r.person_id)),
  headers: {
    grade: PERSON_COLUMNS.grade,
    incompetent_share: PERSON_COLUMNS.incompetentShare,
    probation_result: PERSON_COLUMNS.probationResult,
    probation_against: PERSON_COLUMNS.probationAgainst,
    contract_result: PERSON_COLUMNS.contractResult,
    contract_against: PERSON_COLUMNS.contractAgainst,
    soe_contract_result: PERSON_COLUMNS.soeContract,
    promoted: PERSON_COLUMNS.promoted,
    note: PERSON_COLUMNS.note,
  },
};
const UNITS_TABLE: TableSpec = {
  table: 'assessment_units',
  keyOf: (r) => String(Number(r.unit_id)),
  headers: {
    category: UNIT_COLUMNS.category,
    category_rank: UNIT_COLUMNS.rank,
    city_grade: UNIT_COLUMNS.cityGrade,
    town_rank: UNIT_COLUMNS.townRank,
    village_grade: UNIT_COLUMNS.villageGrade,
  },
};
const LINES_TABLE: TableSpec = {
  table: 'assessment_lines',
  keyOf: (r) => `${String(r.line)}:${Number(r.unit_id)}`,
  headers: { line_rank: LINE_COLUMNS.rank },
};

/**
 * Checks a year's file against itself and the roster, then writes it in one transaction: rows
 * new to the year are added, rows already there updated in place, rows of the year absent from
 * the file left as they are. The 第八条 triggers of that year and the next are recomputed in the
 * same transaction. Any problem throws LedgerImportError (every problem, with its row) and
 * nothing is written.
 */
export async function importLedger(db: DataSource, year: number, file: LedgerFile, deps: { clock: Clock; audit: AuditLog }): Promise<LedgerReport> {
  if (!Number.isInteger(year) || year < YEAR_RANGE.min || year > YEAR_RANGE.max) {
    throw new LedgerImportError([{ row: '年度', reason: `“${year}”不是有效的考核年度（${YEAR_RANGE.min}–${YEAR_RANGE.max}）` }]);
  }
  const now = deps.clock.now().toISOString();
  return db.transaction(async (m) => {
    const roster = await loadRoster(m);
    const problems: SheetProblem[] = [];
    const people = planPeople(file.people, roster, problems);
    const units = planUnits(file.units, roster, problems);
    const lines = planLines(file.lines, roster, problems);
    if (problems.length > 0) throw new LedgerImportError(problems);
    const report: LedgerReport = {
      year,
      people: await writeTable(m, PEOPLE_TABLE, year, people, now),
      units: await writeTable(m, UNITS_TABLE, year, units, now),
      lines: await writeTable(m, LINES_TABLE, year, lines, now),
      triggers: await refreshTriggers(m, [year, year + 1], now),
    };
    await deps.audit.append(m, {
      actorId: null,
      action: 'assessment.imported',
      subject: `assessment:${year}`,
      detail: {
        people: counts(report.people),
        units: counts(report.units),
        lines: counts(report.lines),
        triggers: { found: report.triggers.found.length, lapsed: report.triggers.lapsed },
      },
    });
    return report;
  });
}

export async function importLedgerFile(db: DataSource, year: number, path: string, deps: { clock: Clock; audit: AuditLog }): Promise<LedgerReport> {
  return importLedger(db, year, await readLedgerFile(path), deps);
}

const counts = (t: TableReport) => ({ added: t.added.length, updated: t.updated.length, unchanged: t.unchanged });

async function loadRoster(m: EntityManager): Promise<Roster> {
  const people = await select<{ id: number; code: string; name: string; nature: string; unit_id: number }>(m, 'SELECT id, code, name, nature, unit_id FROM people');
  const units = await select<{ id: number; code: string; name: string; kind: UnitKind; parent_id: number | null }>(m, 'SELECT id, code, name, kind, parent_id FROM units');
  const unitList = units.map((u) => ({ id: Number(u.id), code: u.code, name: u.name, kind: u.kind, parentId: u.parent_id === null ? null : Number(u.parent_id) }));
  return {
    people: new Map(people.map((p) => [p.code, { id: Number(p.id), code: p.code, name: p.name, nature: p.nature, unitId: Number(p.unit_id) }])),
    units: new Map(unitList.map((u) => [u.code, u])),
    unitsById: new Map(unitList.map((u) => [u.id, u])),
  };
}

function inKind(roster: Roster, unitId: number, kind: UnitKind): boolean {
  for (let u = roster.unitsById.get(unitId), hops = 0; u && hops <= roster.unitsById.size; u = u.parentId === null ? undefined : roster.unitsById.get(u.parentId), hops++) {
    if (u.kind === kind) return true;
  }
  return false;
}

/** A whole number ≥ 1, or null for an empty cell; a reason when it is neither. */
function rank(text: string): number | null | string {
  if (text === '') return null;
  return /^\d{1,4}$/.test(text) && Number(text) >= 1 ? Number(text) : `“${text}”不是名次（应为 1、2、3……）`;
}

/** The row's person or unit by code, with its name checked against the roster's. */
function known<T extends { name: string }>(map: Map<string, T>, code: string, name: string, noun: string, problem: (reason: string) => void): T | undefined {
  if (code === '') return void problem(`“${noun === '人员' ? PERSON_COLUMNS.code : UNIT_COLUMNS.code}”不能为空`);
  const found = map.get(code);
  if (!found) return void problem(`${noun}编码“${code}”不在名册中`);
  if (name !== '' && name !== found.name) return void problem(`名称“${name}”与名册中 ${code} 的“${found.name}”不一致`);
  return found;
}

function once(seen: Map<string, string>, key: string, row: string, problem: (reason: string) => void, what: string): void {
  const first = seen.get(key);
  if (first) problem(`${what}重复（${first}已有）`);
  else seen.set(key, row);
}

function planPeople(rows: PersonRow[], roster: Roster, problems: SheetProblem[]): Planned[] {
  const seen = new Map<string, string>();
  const plans: Planned[] = [];
  for (const row of rows) {
    const before = problems.length;
    const problem = (reason: string) => problems.push({ row: row.row, reason });
    const person = known(roster.people, row.code, row.name, '人员', problem);
    if (person) once(seen, person.code, row.row, problem, `人员编号“${row.code}”`);

    if (row.grade !== '' && !isGrade(row.grade)) problem(`等次“${row.grade}”不存在，应为：${[...GRADE_SCALES.称职, ...GRADE_SCALES.合格.slice(1)].join('、')}`);
    else if (row.grade !== '' && person) {
      const scale = GRADE_SCALES[scaleOf(person.nature)];
      if (!(scale as readonly string[]).includes(row.grade)) problem(`${person.name}的性质为“${person.nature}”，等次应为：${scale.join('、')}，不是“${row.grade}”`);
    }
    const shares = (['incompetentShare', 'probationAgainst', 'contractAgainst'] as const).map((key) => {
      const parsed = parseShare(row[key]);
      if (typeof parsed === 'string') problem(`“${PERSON_COLUMNS[key]}”${row[key]}：${parsed}`);
      return typeof parsed === 'string' ? null : parsed;
    });
    for (const key of ['probationResult', 'contractResult'] as const) if (row[key].length > 20) problem(`“${PERSON_COLUMNS[key]}”超过 20 个字`);
    if (row.soeContract !== '' && !(SOE_RESULTS as readonly string[]).includes(row.soeContract)) problem(`“${PERSON_COLUMNS.soeContract}”应为“合格”或“不合格”，不是“${row.soeContract}”`);
    else if (row.soeContract !== '' && person && !inKind(roster, person.unitId, '国资公司')) problem(`${person.name}不在国资公司，不应有“${PERSON_COLUMNS.soeContract}”`);
    if (!['是', '否', ''].includes(row.promoted)) problem(`“${PERSON_COLUMNS.promoted}”应填“是”或“否”，不是“${row.promoted}”`);
    if (row.note.length > 200) problem(`“${PERSON_COLUMNS.note}”超过 200 个字`);
    const results = [row.grade, row.incompetentShare, row.probationResult, row.probationAgainst, row.contractResult, row.contractAgainst, row.soeContract];
    if (results.every((v) => v === '')) problem('没有任何考核结果');

    if (problems.length === before && person) {
      const [incompetent, probation, contract] = shares;
      plans.push({
        key: String(person.id),
        entry: { code: person.code, name: person.name },
        values: {
          person_id: person.id,
          grade: row.grade || null,
          incompetent_share: incompetent?.text ?? null,
          probation_result: row.probationResult || null,
          probation_against: probation?.text ?? null,
          contract_result: row.contractResult || null,
          contract_against: contract?.text ?? null,
          soe_contract_result: row.soeContract || null,
          promoted: row.promoted === '是' ? 1 : 0,
          note: row.note || null,
        },
      });
    }
  }
  return plans;
}

function planUnits(rows: UnitRow[], roster: Roster, problems: SheetProblem[]): Planned[] {
  const seen = new Map<string, string>();
  const ranks = new Map<string, string>();
  const plans: Planned[] = [];
  for (const row of rows) {
    const before = problems.length;
    const problem = (reason: string) => problems.push({ row: row.row, reason });
    const unit = known(roster.units, row.code, row.name, '单位', problem);
    if (unit) once(seen, unit.code, row.row, problem, `单位编码“${row.code}”`);
    const village = unit?.kind === '村/社区';

    if (row.category !== '' && !(CATEGORIES as readonly string[]).includes(row.category)) problem(`考核类别“${row.category}”不存在，应为：${CATEGORIES.join('、')}`);
    const categoryRank = rank(row.rank);
    if (typeof categoryRank === 'string') problem(`“${UNIT_COLUMNS.rank}”${categoryRank}`);
    else if ((categoryRank === null) !== (row.category === '')) problem(`“${UNIT_COLUMNS.category}”和“${UNIT_COLUMNS.rank}”应同时填写`);
    else if (categoryRank !== null) once(ranks, `${row.category}:${categoryRank}`, row.row, problem, `${row.category}第 ${categoryRank} 名`);

    if (row.cityGrade !== '' && !(CITY_GRADES as readonly string[]).includes(row.cityGrade)) problem(`“${UNIT_COLUMNS.cityGrade}”应为：${CITY_GRADES.join('、')}，不是“${row.cityGrade}”`);
    const townRank = rank(row.townRank);
    if (typeof townRank === 'string') problem(`“${UNIT_COLUMNS.townRank}”${townRank}`);
    else if (townRank !== null && unit && !village) problem(`${unit.name}不是村（社区），不应有“${UNIT_COLUMNS.townRank}”`);
    else if (townRank !== null && unit) once(ranks, `town:${unit.parentId}:${townRank}`, row.row, problem, `同一镇街第 ${townRank} 名`);
    if (row.villageGrade !== '' && !isGrade(row.villageGrade)) problem(`“${UNIT_COLUMNS.villageGrade}”“${row.villageGrade}”不是考核等次`);
    else if (row.villageGrade !== '' && unit && !village) problem(`${unit.name}不是村（社区），不应有“${UNIT_COLUMNS.villageGrade}”`);
    if ([row.category, row.cityGrade, row.townRank, row.villageGrade].every((v) => v === '')) problem('没有任何考核结果');

    if (problems.length === before && unit) {
      plans.push({
        key: String(unit.id),
        entry: { code: unit.code, name: unit.name },
        values: {
          unit_id: unit.id,
          category: row.category || null,
          category_rank: categoryRank as number | null,
          city_grade: row.cityGrade || null,
          town_rank: townRank as number | null,
          village_grade: row.villageGrade || null,
        },
      });
    }
  }
  return plans;
}

function planLines(rows: LineRow[], roster: Roster, problems: SheetProblem[]): Planned[] {
  const seen = new Map<string, string>();
  const plans: Planned[] = [];
  for (const row of rows) {
    const before = problems.length;
    const problem = (reason: string) => problems.push({ row: row.row, reason });
    if (row.line === '') problem(`“${LINE_COLUMNS.line}”不能为空`);
    else if (row.line.length > 50) problem(`“${LINE_COLUMNS.line}”超过 50 个字`);
    const unit = known(roster.units, row.code, row.name, '单位', problem);
    const lineRank = rank(row.rank);
    if (lineRank === null) problem(`“${LINE_COLUMNS.rank}”不能为空`);
    else if (typeof lineRank === 'string') problem(`“${LINE_COLUMNS.rank}”${lineRank}`);
    else once(seen, `${row.line}#${lineRank}`, row.row, problem, `${row.line}第 ${lineRank} 名`);
    if (unit) once(seen, `${row.line}@${unit.code}`, row.row, problem, `${row.line}中的${unit.name}`);
    if (problems.length === before && unit) {
      plans.push({
        key: `${row.line}:${unit.id}`,
        entry: { code: unit.code, name: `${unit.name}（${row.line}）` },
        values: { line: row.line, unit_id: unit.id, line_rank: lineRank as number },
      });
    }
  }
  return plans;
}

/** Adds the year's new rows in batches and updates changed ones in place; rows not in the file stay. */
async function writeTable(m: EntityManager, spec: TableSpec, year: number, planned: Planned[], now: string): Promise<TableReport> {
  const current = new Map(
    (await select<Record<string, unknown> & { id: number }>(m, `SELECT * FROM ${spec.table} WHERE year = ?`, [year])).map((r) => [spec.keyOf(r), r]),
  );
  const report: TableReport = { added: [], updated: [], unchanged: 0 };
  const fresh: Record<string, unknown>[] = [];
  for (const p of planned) {
    const before = current.get(p.key);
    if (!before) {
      fresh.push({ year, ...p.values, created_at: now, updated_at: now });
      report.added.push(p.entry);
      continue;
    }
    const changed = Object.keys(spec.headers).filter((column) => normalize(before[column]) !== normalize(p.values[column]));
    if (changed.length === 0) {
      report.unchanged += 1;
      continue;
    }
    await update(m, spec.table, { ...p.values, updated_at: now }, 'id = ?', [Number(before.id)]);
    report.updated.push({ ...p.entry, fields: changed.map((c) => spec.headers[c]) });
  }
  for (let i = 0; i < fresh.length; i += BATCH) await insert(m, spec.table, fresh.slice(i, i + BATCH));
  return report;
}

const normalize = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const DETAIL_LIMIT = 20;

function details<T>(label: string, items: T[], line: (item: T) => string): string[] {
  const shown = items.slice(0, DETAIL_LIMIT).map((item) => `  ${label} ${line(item)}`);
  return items.length > DETAIL_LIMIT ? [...shown, `  ……另有 ${items.length - DETAIL_LIMIT} 条${label}`] : shown;
}

/** The summary shown to whoever ran the import: counts, what changed, and the 第八条 triggers found. */
export function formatLedgerReport(report: LedgerReport): string {
  const entry = (e: Entry) => `${e.code} ${e.name}`;
  const changed = (e: ChangedEntry) => `${entry(e)}：${e.fields.join('、')}`;
  const table = (noun: string, t: TableReport) => [
    `${noun}：新增 ${t.added.length}，更新 ${t.updated.length}，未变 ${t.unchanged}`,
    ...details('新增', t.added, entry),
    ...details('更新', t.updated, changed),
  ];
  const { found, lapsed } = report.triggers;
  return [
    `${report.year} 年度考核结果已导入。`,
    ...table('人员', report.people),
    ...table('单位', report.units),
    ...table('条线', report.lines),
    `《能上能下办法》第八条预警：新发现 ${found.length} 条${lapsed > 0 ? `，${lapsed} 条因数据更正不再成立` : ''}${found.length > 0 ? '，已通知组织人事部门' : ''}。`,
    ...details('预警', found, (t) => t),
  ].join('\n');
}
