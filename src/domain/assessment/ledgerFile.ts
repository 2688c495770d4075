import {
  parseSheetYaml,
  readSheetFile,
  SheetImportError,
  type SheetProblem,
  type SheetRow,
  type SheetSection,
  type SheetSpec,
} from '../../imports/sheetFile';

/**
 * One year's 考核结果 as 党群工作部 and 组织人事部门 keep them: a 人员 sheet (one row a person), a
 * 单位 sheet (one row a unit, 村（社区） included) and, when there are 条线 rankings, a 条线 sheet.
 * The README lists the columns and what goes in them.
 */
export const PERSON_COLUMNS = {
  code: '人员编号',
  name: '姓名',
  grade: '年度考核等次',
  incompetentShare: '民主测评不称职得票',
  probationResult: '试用期满考核结果',
  probationAgainst: '不同意转正得票',
  contractResult: '聘任期满考核结果',
  contractAgainst: '不同意继续聘任得票',
  soeContract: '国资公司聘任期满考核',
  promoted: '当年晋级',
  note: '备注',
} as const;

export const UNIT_COLUMNS = {
  code: '单位编码',
  name: '单位名称',
  category: '一体化考核类别',
  rank: '一体化考核排名',
  cityGrade: '江阴市考核等次',
  townRank: '镇街考核排名',
  villageGrade: '村（社区）考核等次',
} as const;

export const LINE_COLUMNS = { line: '条线', code: '单位编码', name: '单位名称', rank: '排名' } as const;

export type PersonRow = SheetRow<typeof PERSON_COLUMNS>;
export type UnitRow = SheetRow<typeof UNIT_COLUMNS>;
export type LineRow = SheetRow<typeof LINE_COLUMNS>;

export interface LedgerFile {
  people: PersonRow[];
  units: UnitRow[];
  lines: LineRow[];
}

export class LedgerImportError extends SheetImportError {
  constructor(problems: SheetProblem[]) {
    super(problems, '考核结果表');
    this.name = 'LedgerImportError';
  }
}

const LEDGER_FILE: SheetSpec<{
  people: SheetSection<typeof PERSON_COLUMNS>;
  units: SheetSection<typeof UNIT_COLUMNS>;
  lines: SheetSection<typeof LINE_COLUMNS>;
}> = {
  noun: '考核结果表',
  sections: {
    people: { aliases: ['人员', 'people', '干部'], columns: PERSON_COLUMNS, required: ['code', 'name', 'grade'] },
    units: { aliases: ['单位', 'units'], columns: UNIT_COLUMNS, required: ['code', 'name'] },
    lines: { aliases: ['条线', 'lines'], columns: LINE_COLUMNS, required: ['line', 'code', 'rank'], optional: true },
  },
  error: (problems) => new LedgerImportError(problems),
};

export const readLedgerFile = (path: string): Promise<LedgerFile> => readSheetFile(path, LEDGER_FILE);
export const parseLedgerYaml = (text: string): LedgerFile => parseSheetYaml(text, LEDGER_FILE);
