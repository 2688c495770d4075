import {
  parseSheetYaml,
  readSheetFile,
  readSheetXlsxBytes,
  SheetImportError,
  type SheetProblem,
  type SheetRow,
  type SheetSection,
  type SheetSpec,
} from '../imports/sheetFile';

/**
 * The roster as HR staff keep it: a `units` and a `people` sheet (or YAML list) with Chinese column
 * headers, read by the shared sheet reader (src/imports/sheetFile.ts).
 */
export const UNIT_COLUMNS = { code: '编码', name: '名称', kind: '类型', parentCode: '上级编码' } as const;

export const PERSON_COLUMNS = {
  code: '人员编号',
  name: '姓名',
  unitCode: '单位编码',
  post: '职务',
  nature: '性质',
  cityManaged: '市管干部',
  wecomUserId: '企业微信ID',
  dingtalkUserId: '钉钉ID',
  joinedOn: '入职日期',
  leftOn: '离开日期',
  roles: '角色',
} as const;

/** `row` says where the row is, in the file's own terms: "people 第5行" (Excel) or "people 第3条" (YAML). */
export type UnitRow = SheetRow<typeof UNIT_COLUMNS>;
export type PersonRow = SheetRow<typeof PERSON_COLUMNS>;

export interface RosterFile {
  units: UnitRow[];
  people: PersonRow[];
}

export type RosterProblem = SheetProblem;

export class RosterImportError extends SheetImportError {
  constructor(problems: RosterProblem[]) {
    super(problems, '花名册');
    this.name = 'RosterImportError';
  }
}

const ROSTER_FILE: SheetSpec<{ units: SheetSection<typeof UNIT_COLUMNS>; people: SheetSection<typeof PERSON_COLUMNS> }> = {
  noun: '花名册',
  sections: {
    units: { aliases: ['units', '单位'], columns: UNIT_COLUMNS, required: ['code', 'name', 'kind', 'parentCode'] },
    people: { aliases: ['people', '人员'], columns: PERSON_COLUMNS, required: ['code', 'name', 'unitCode', 'post', 'nature'] },
  },
  error: (problems) => new RosterImportError(problems),
};

export const readRosterFile = (path: string): Promise<RosterFile> => readSheetFile(path, ROSTER_FILE);
export const parseRosterYaml = (text: string): RosterFile => parseSheetYaml(text, ROSTER_FILE);
export const readRosterBytes = (bytes: Buffer, name: string): Promise<RosterFile> => readSheetXlsxBytes(bytes, name, ROSTER_FILE);
