import { select, type Executor } from '../../storage/sql';
import { parseShare, type Category, type CityGrade, type Grade, type Share, type SoeResult } from './grades';

/** One person's 考核 results of one year. */
export interface PersonYear {
  year: number;
  personId: number;
  grade: Grade | null;
  incompetentShare: Share | null;
  probationResult: string | null;
  probationAgainst: Share | null;
  contractResult: string | null;
  contractAgainst: Share | null;
  soeContract: SoeResult | null;
  /** 晋级 that year: the 晋级年限 count starts again after it (激励办法 第九条（六）). */
  promoted: boolean;
  note: string | null;
}

/** One unit's results of one year: 一体化绩效考核, 江阴市年度考核, and for a 村（社区） its 镇街's ranking. */
export interface UnitYear {
  year: number;
  unitId: number;
  category: Category | null;
  rank: number | null;
  cityGrade: CityGrade | null;
  townRank: number | null;
  villageGrade: Grade | null;
}

/** A unit's place in one 条线's ranking of one year. */
export interface LineRank {
  year: number;
  line: string;
  unitId: number;
  rank: number;
}

export interface LedgerYears {
  people: PersonYear[];
  units: UnitYear[];
  lines: LineRank[];
}

export interface PersonYearRow {
  id: number;
  year: number;
  person_id: number;
  grade: string | null;
  incompetent_share: string | null;
  probation_result: string | null;
  probation_against: string | null;
  contract_result: string | null;
  contract_against: string | null;
  soe_contract_result: string | null;
  promoted: number;
  note: string | null;
}

export interface UnitYearRow {
  id: number;
  year: number;
  unit_id: number;
  category: string | null;
  category_rank: number | null;
  city_grade: string | null;
  town_rank: number | null;
  village_grade: string | null;
}

export interface LineRankRow {
  id: number;
  year: number;
  line: string;
  unit_id: number;
  line_rank: number;
}

/** Stored shares were checked on the way in. */
const share = (text: string | null): Share | null => {
  const parsed = text === null ? null : parseShare(text);
  return typeof parsed === 'string' ? null : parsed;
};
const num = (v: number | null): number | null => (v === null ? null : Number(v));

export const toPersonYear = (r: PersonYearRow): PersonYear => ({
  year: Number(r.year),
  personId: Number(r.person_id),
  grade: r.grade as Grade | null,
  incompetentShare: share(r.incompetent_share),
  probationResult: r.probation_result,
  probationAgainst: share(r.probation_against),
  contractResult: r.contract_result,
  contractAgainst: share(r.contract_against),
  soeContract: r.soe_contract_result as SoeResult | null,
  promoted: Number(r.promoted) === 1,
  note: r.note,
});

export const toUnitYear = (r: UnitYearRow): UnitYear => ({
  year: Number(r.year),
  unitId: Number(r.unit_id),
  category: r.category as Category | null,
  rank: num(r.category_rank),
  cityGrade: r.city_grade as CityGrade | null,
  townRank: num(r.town_rank),
  villageGrade: r.village_grade as Grade | null,
});

export const toLineRank = (r: LineRankRow): LineRank => ({ year: Number(r.year), line: r.line, unitId: Number(r.unit_id), rank: Number(r.line_rank) });

/** The ledger of the years from `from` to `to`, in three queries; one person's rows only when asked. */
export async function loadLedger(ex: Executor, from: number, to: number, personId?: number): Promise<LedgerYears> {
  const personFilter = personId === undefined ? '' : ' AND person_id = ?';
  const people = await select<PersonYearRow>(
    ex,
    `SELECT * FROM assessment_people WHERE year >= ? AND year <= ?${personFilter} ORDER BY year, person_id`,
    personId === undefined ? [from, to] : [from, to, personId],
  );
  const units = await select<UnitYearRow>(ex, 'SELECT * FROM assessment_units WHERE year >= ? AND year <= ? ORDER BY year, unit_id', [from, to]);
  const lines = await select<LineRankRow>(ex, 'SELECT * FROM assessment_lines WHERE year >= ? AND year <= ? ORDER BY year, line, line_rank', [from, to]);
  return { people: people.map(toPersonYear), units: units.map(toUnitYear), lines: lines.map(toLineRank) };
}

/** The years the ledger holds anything for, oldest first. */
export async function ledgerYears(ex: Executor): Promise<number[]> {
  const rows = await select<{ year: number }>(ex, 'SELECT DISTINCT year FROM assessment_people UNION SELECT DISTINCT year FROM assessment_units ORDER BY year');
  return rows.map((r) => Number(r.year));
}

/** Rows of a ledger indexed by year and subject, for rules that look at several years. */
export class LedgerIndex {
  private readonly people = new Map<string, PersonYear>();
  private readonly units = new Map<string, UnitYear>();
  readonly lines: LineRank[];

  constructor(readonly data: LedgerYears) {
    for (const p of data.people) this.people.set(`${p.year}:${p.personId}`, p);
    for (const u of data.units) this.units.set(`${u.year}:${u.unitId}`, u);
    this.lines = data.lines;
  }

  person(year: number, personId: number): PersonYear | undefined {
    return this.people.get(`${year}:${personId}`);
  }

  unit(year: number, unitId: number): UnitYear | undefined {
    return this.units.get(`${year}:${unitId}`);
  }

  peopleOf(year: number): PersonYear[] {
    return this.data.people.filter((p) => p.year === year);
  }

  unitsOf(year: number): UnitYear[] {
    return this.data.units.filter((u) => u.year === year);
  }
}
