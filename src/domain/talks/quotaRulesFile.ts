import { basename } from 'node:path';
import { readSheetFile, SheetImportError, type SheetProblem, type SheetRow, type SheetSection, type SheetSpec } from '../../imports/sheetFile';
import type { Unit } from '../../roster/types';
import { changeProblems, QUOTA_RULES_NOUN, type QuotaRuleChange } from './quotaRules';
import { PERIOD_WORDS, TALK_PERIODS, type TalkPeriod } from './settings';

/**
 * Units' 谈心谈话 frequencies as a file (`npm run quotas:import FILE`): one `rules` sheet (or YAML
 * list), a unit a row. Units not in the file keep their rule; 周期 “取消” removes a unit's own rule.
 */
export const QUOTA_RULE_COLUMNS = { unitCode: '单位编码', unitName: '单位名称', period: '周期', times: '次数' } as const;

export type QuotaRuleRow = SheetRow<typeof QUOTA_RULE_COLUMNS>;
export interface QuotaRulesFile {
  source: string;
  rules: QuotaRuleRow[];
}

const QUOTA_RULES_FILE: SheetSpec<{ rules: SheetSection<typeof QUOTA_RULE_COLUMNS> }> = {
  noun: QUOTA_RULES_NOUN,
  sections: { rules: { aliases: ['rules', '谈话频次'], columns: QUOTA_RULE_COLUMNS, required: ['unitCode', 'period', 'times'] } },
};

export const REMOVE_WORDS = ['取消', '恢复默认', '删除'];

/** 每季度, 季度, quarter …: how people write a period in a sheet. */
const PERIODS = new Map<string, TalkPeriod>(
  TALK_PERIODS.flatMap((p) => [
    [PERIOD_WORDS[p], p],
    [PERIOD_WORDS[p].replace(/^每/, ''), p],
    [p, p],
  ]),
);

export function periodOf(text: string): TalkPeriod | undefined {
  return PERIODS.get(text.trim().toLowerCase());
}

export async function readQuotaRulesFile(path: string): Promise<QuotaRulesFile> {
  return { source: basename(path), rules: (await readSheetFile(path, QUOTA_RULES_FILE)).rules };
}

/** The rows as changes, each unit found by its code in the roster; every problem at once. */
export function planQuotaRules(rows: QuotaRuleRow[], units: Unit[]): QuotaRuleChange[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const problems: SheetProblem[] = [];
  const changes: QuotaRuleChange[] = [];
  for (const row of rows) {
    const before = problems.length;
    const problem = (reason: string) => problems.push({ row: row.row, reason });
    const unit = byCode.get(row.unitCode);
    if (row.unitCode === '') problem(`“${QUOTA_RULE_COLUMNS.unitCode}”不能为空`);
    else if (!unit) problem(`${QUOTA_RULE_COLUMNS.unitCode}“${row.unitCode}”不存在`);
    else if (row.unitName !== '' && row.unitName !== unit.name) problem(`单位编码 ${unit.code} 是“${unit.name}”，不是“${row.unitName}”`);
    const remove = REMOVE_WORDS.includes(row.period);
    const period = periodOf(row.period);
    const times = /^\d{1,3}$/.test(row.times) ? Number(row.times) : undefined;
    if (row.period === '') problem(`“${QUOTA_RULE_COLUMNS.period}”不能为空`);
    else if (!remove && !period) problem(`${QUOTA_RULE_COLUMNS.period}“${row.period}”应为：${Object.values(PERIOD_WORDS).join('、')}，或“取消”`);
    if (remove && row.times !== '') problem(`“取消”的行不填“${QUOTA_RULE_COLUMNS.times}”`);
    if (!remove && row.times === '') problem(`“${QUOTA_RULE_COLUMNS.times}”不能为空`);
    else if (!remove && times === undefined) problem(`${QUOTA_RULE_COLUMNS.times}“${row.times}”应是 1 以上的整数`);
    if (problems.length > before) continue;
    changes.push({ unitId: unit!.id, rule: remove ? null : { period: period!, times: times! }, row: row.row });
  }
  // Rules out of bounds and units given twice, among the rows that read well: all problems at once.
  problems.push(...changeProblems(changes, units));
  if (rows.length === 0) problems.push({ row: 'rules', reason: '没有任何单位' });
  const order = new Map(rows.map((r, i) => [r.row, i]));
  problems.sort((a, b) => (order.get(a.row) ?? 0) - (order.get(b.row) ?? 0));
  if (problems.length > 0) throw new SheetImportError(problems, QUOTA_RULES_NOUN);
  return changes;
}
