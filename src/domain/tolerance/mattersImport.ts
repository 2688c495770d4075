import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { zoneDate, type Clock } from '../../clock';
import { formatDate, parseDate, parseIsoDate } from '../../conversation/parse/dates';
import { readSheetFile, SheetImportError, type SheetProblem, type SheetRow, type SheetSection, type SheetSpec } from '../../imports/sheetFile';
import { RosterRepository } from '../../roster/rosterRepository';
import type { Person, Unit } from '../../roster/types';
import type { AccountabilityMatter, AccountabilityMatters } from './matters';

/**
 * 问责事项 (《容错细则》第六条（一）1 启动问责) imported in bulk from the 纪（工）委's own register,
 * kept in Excel or YAML like the roster: one `matters` sheet (or list), one matter a row.
 */
export const MATTER_COLUMNS = {
  personCode: '被问责人编号',
  unitCode: '被问责单位编码',
  summary: '问责事项',
  openedOn: '启动日期',
  registrarCode: '登记人编号',
  externalId: '外部编号',
} as const;

export type MatterRow = SheetRow<typeof MATTER_COLUMNS>;
export interface MattersFile {
  matters: MatterRow[];
}

const NOUN = '问责事项表';
const MATTERS_FILE: SheetSpec<{ matters: SheetSection<typeof MATTER_COLUMNS> }> = {
  noun: NOUN,
  sections: { matters: { aliases: ['matters', '问责事项'], columns: MATTER_COLUMNS, required: ['summary', 'openedOn', 'registrarCode'] } },
};

export const readMattersFile = (path: string): Promise<MattersFile> => readSheetFile(path, MATTERS_FILE);

export interface ImportedMatter {
  row: string;
  number: string;
  /** Who or which unit the matter is about, as `name（code）`. */
  subject: string;
  summary: string;
  /** Who was told that they may apply for 容错: the person, or the unit's party head; null when nobody could be. */
  told: string | null;
}
export interface MattersReport {
  added: ImportedMatter[];
  /** Rows imported before (same 外部编号, or the same content when there is none): nothing was written for them. */
  unchanged: number;
}

interface MatterPlan {
  row: string;
  draftKey: string;
  subjectPerson: Person | null;
  subjectUnit: Unit | null;
  summary: string;
  openedOn: string;
  registrar: Person;
  existing: AccountabilityMatter | undefined;
}

const SUMMARY_LIMIT = 1000;
/** Audit channel of what the import writes. */
const CHANNEL = 'import';

/**
 * Checks every row against the roster and the matters already recorded, then records each new one
 * with AccountabilityMatters.open (numbered, audited, its subject told). Any problem throws
 * SheetImportError listing them all, and nothing is written. Each row's draft key comes from its
 * 外部编号 (or its content), so importing the same file again records nothing new; should the
 * writing stop halfway, importing the file again finishes it.
 */
export async function importMatters(
  db: DataSource,
  file: MattersFile,
  clock: Clock,
  deps: { matters: AccountabilityMatters },
): Promise<MattersReport> {
  const plans = await planMatters(file.matters, new RosterRepository(db), deps.matters, zoneDate(clock.now()));
  const report: MattersReport = { added: [], unchanged: 0 };
  for (const plan of plans) {
    if (plan.existing) {
      report.unchanged++;
      continue;
    }
    const { matter, told } = await deps.matters.open({
      draftKey: plan.draftKey,
      subjectPersonId: plan.subjectPerson?.id ?? null,
      subjectUnitId: plan.subjectUnit?.id ?? null,
      summary: plan.summary,
      openedOn: plan.openedOn,
      openedBy: plan.registrar,
      channel: CHANNEL,
    });
    const subject = plan.subjectPerson ?? plan.subjectUnit!;
    report.added.push({ row: plan.row, number: matter.number, subject: `${subject.name}（${subject.code}）`, summary: matter.summary, told: told?.name ?? null });
  }
  return report;
}

export async function importMattersFile(db: DataSource, path: string, clock: Clock, deps: { matters: AccountabilityMatters }): Promise<MattersReport> {
  return importMatters(db, await readMattersFile(path), clock, deps);
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 40);

async function planMatters(rows: MatterRow[], roster: RosterRepository, matters: AccountabilityMatters, today: string): Promise<MatterPlan[]> {
  const people = new Map((await roster.activePeople()).map((p) => [p.code, p]));
  const units = new Map((await roster.units()).map((u) => [u.code, u]));
  const disciplineMembers = new Map<number, boolean>();
  const isDisciplineMember = async (person: Person) => {
    if (!disciplineMembers.has(person.id)) {
      disciplineMembers.set(person.id, await roster.holdsAnyRole(person.id, 'disciplineMember'));
    }
    return disciplineMembers.get(person.id)!;
  };
  const problems: SheetProblem[] = [];
  const seen = new Map<string, MatterRow>();
  const plans: MatterPlan[] = [];
  for (const row of rows) {
    const before = problems.length;
    const problem = (reason: string) => problems.push({ row: row.row, reason });

    const { personCode, unitCode } = row;
    if (personCode !== '' && unitCode !== '') problem(`“${MATTER_COLUMNS.personCode}”和“${MATTER_COLUMNS.unitCode}”只能填一个`);
    if (personCode === '' && unitCode === '') problem(`应填写“${MATTER_COLUMNS.personCode}”或“${MATTER_COLUMNS.unitCode}”（二者填一）`);
    const subjectPerson = personCode === '' ? null : (people.get(personCode) ?? null);
    const subjectUnit = unitCode === '' ? null : (units.get(unitCode) ?? null);
    if (personCode !== '' && !subjectPerson) problem(`${MATTER_COLUMNS.personCode}“${personCode}”不存在（或已离开）`);
    if (unitCode !== '' && !subjectUnit) problem(`${MATTER_COLUMNS.unitCode}“${unitCode}”不存在`);

    if (row.summary === '') problem(`“${MATTER_COLUMNS.summary}”不能为空`);
    else if (row.summary.length > SUMMARY_LIMIT) problem(`“${MATTER_COLUMNS.summary}”超过 ${SUMMARY_LIMIT} 个字`);

    const openedOn = fullDate(row.openedOn);
    if (row.openedOn === '') problem(`“${MATTER_COLUMNS.openedOn}”不能为空`);
    else if (!openedOn) problem(`${MATTER_COLUMNS.openedOn}“${row.openedOn}”不是有效日期（应写作 YYYY-MM-DD，如 2026-03-05）`);
    else if (openedOn > today) problem(`${MATTER_COLUMNS.openedOn} ${openedOn} 晚于今天（${today}），不能是将来的日期`);

    const registrar = people.get(row.registrarCode);
    if (row.registrarCode === '') problem(`“${MATTER_COLUMNS.registrarCode}”不能为空`);
    else if (!registrar) problem(`${MATTER_COLUMNS.registrarCode}“${row.registrarCode}”不存在（或已离开）`);
    else if (!(await isDisciplineMember(registrar))) {
      problem(`登记人 ${registrar.code} ${registrar.name} 不是纪（工）委成员，不能登记问责事项（《容错细则》第六条（一）1）`);
    }

    // Without an 外部编号 a row is known by what it says: the same matter typed again is the same row.
    const draftKey = row.externalId !== ''
      ? `mi-x-${digest(row.externalId)}`
      : `mi-r-${digest(JSON.stringify([personCode, unitCode, row.summary, openedOn ?? row.openedOn, row.registrarCode]))}`;
    const first = seen.get(draftKey);
    if (first) problem(row.externalId !== '' ? `${MATTER_COLUMNS.externalId}“${row.externalId}”重复（${first.row}已有）` : `与${first.row}完全相同`);
    else seen.set(draftKey, row);

    if (problems.length > before) continue;
    const plan: MatterPlan = {
      row: row.row, draftKey, subjectPerson, subjectUnit, summary: row.summary, openedOn: openedOn!, registrar: registrar!,
      existing: await matters.byDraft(draftKey),
    };
    if (row.externalId !== '' && plan.existing && !sameMatter(plan.existing, plan)) {
      problem(`${MATTER_COLUMNS.externalId}“${row.externalId}”已导入为 ${plan.existing.number}，但本行内容与之不同；已登记的问责事项不能通过导入修改`);
    }
    plans.push(plan);
  }
  if (problems.length > 0) throw new SheetImportError(problems, NOUN);
  return plans;
}

function sameMatter(m: AccountabilityMatter, plan: MatterPlan): boolean {
  return (
    m.subjectPersonId === (plan.subjectPerson?.id ?? null) &&
    m.subjectUnitId === (plan.subjectUnit?.id ?? null) &&
    m.summary === plan.summary &&
    m.openedOn === plan.openedOn &&
    m.openedBy === plan.registrar.id
  );
}

/** A date with its year, as typed in a sheet (2026-03-05, 2026/3/5, 2026年3月5日); not 3月5日 or 昨天. */
function fullDate(text: string): string | undefined {
  if (!/^\d{4}\D/.test(text)) return undefined;
  const date = parseDate(text, parseIsoDate('2000-01-01'));
  return date && formatDate(date);
}

/** The summary shown to whoever ran the import: counts first, then each matter recorded. */
export function formatMattersReport(report: MattersReport): string {
  const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
  return [
    `问责事项：新增 ${report.added.length}，未变 ${report.unchanged}`,
    ...report.added.map(
      (m) => `  新增 ${m.number} ${m.subject}：${clip(m.summary)}（${m.told ? `已告知${m.told}可申请容错` : '未找到可告知的人'}）`,
    ),
  ].join('\n');
}
