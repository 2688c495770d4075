import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { SheetImportError, type SheetProblem } from '../../imports/sheetFile';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person, Unit } from '../../roster/types';
import { insert, select, update } from '../../storage/sql';
import type { AuditLog } from '../audit';
import { PERIOD_MONTHS, PERIOD_WORDS, TALK_PERIODS, type TalkPeriod } from './settings';

/**
 * A unit's own 谈心谈话 frequency: 激励办法 第十一条（四） asks at least once a year, and a unit may
 * ask more (once a quarter, twice a half-year). It applies to the unit and the units below it; a
 * lower unit's own rule comes first (src/domain/talks/quotas.ts). 党群工作部 sets them in chat
 * (设置谈话频次) or by file (npm run quotas:import).
 */
export interface QuotaRuleSetting {
  period: TalkPeriod;
  times: number;
}

/** One unit's rule to set, or to remove (null: back to the policy's once a year); `row` says where it was written. */
export interface QuotaRuleChange {
  unitId: number;
  rule: QuotaRuleSetting | null;
  row: string;
}

export interface QuotaRuleOutcome {
  unit: Unit;
  before: QuotaRuleSetting | null;
  after: QuotaRuleSetting | null;
}

export interface QuotaRulesReport {
  changed: QuotaRuleOutcome[];
  unchanged: number;
}

export const QUOTA_RULES_NOUN = '谈话频次表';
/** More often than once a month is taken for a typo (每月 3 次 meant 每季度 3 次), not a rule. */
export const MOST_PER_YEAR = 12;

const perYear = (rule: QuotaRuleSetting) => (rule.times * 12) / PERIOD_MONTHS[rule.period];

export const ruleWords = (rule: QuotaRuleSetting | null): string =>
  rule ? `${PERIOD_WORDS[rule.period]}至少 ${rule.times} 次` : '每年至少 1 次（未另行规定）';

/** What is wrong with a rule, or undefined. */
export function ruleProblem(rule: QuotaRuleSetting): string | undefined {
  if (!TALK_PERIODS.includes(rule.period)) return `周期应为：${Object.values(PERIOD_WORDS).join('、')}`;
  if (!Number.isInteger(rule.times) || rule.times < 1) return '次数应是 1 以上的整数';
  const yearly = perYear(rule);
  if (yearly > MOST_PER_YEAR) return `${ruleWords(rule)}即每年 ${yearly} 次，多于每月 1 次，请核对`;
  return undefined;
}

/** What is wrong with changes: units that do not exist or come twice, rules out of bounds. */
export function changeProblems(changes: QuotaRuleChange[], roster: Unit[]): SheetProblem[] {
  const units = new Map(roster.map((u) => [u.id, u]));
  const problems: SheetProblem[] = [];
  const seen = new Map<number, string>();
  for (const change of changes) {
    const unit = units.get(change.unitId);
    const reason = !unit ? '单位不存在' : change.rule && ruleProblem(change.rule);
    if (reason) problems.push({ row: change.row, reason });
    const first = seen.get(change.unitId);
    if (unit && first) problems.push({ row: change.row, reason: `${unit.name}（${unit.code}）重复（${first}已有）` });
    seen.set(change.unitId, first ?? change.row);
  }
  return problems;
}

const NOTHING = { row: QUOTA_RULES_NOUN, reason: '没有任何单位' };

interface RuleRow {
  id: number;
  unit_id: number;
  period: TalkPeriod;
  times: number;
}

const same = (a: QuotaRuleSetting | null, b: QuotaRuleSetting | null) => a?.period === b?.period && a?.times === b?.times;

export class TalkQuotaRules {
  constructor(
    private readonly db: DataSource,
    private readonly deps: { audit: AuditLog; clock: Clock; roster: RosterRepository },
  ) {}

  /** The units with a rule of their own, in roster order. */
  async list(): Promise<{ unit: Unit; rule: QuotaRuleSetting }[]> {
    const rules = new Map((await select<RuleRow>(this.db, 'SELECT id, unit_id, period, times FROM talk_quota_rules')).map((r) => [Number(r.unit_id), r]));
    return (await this.deps.roster.units())
      .filter((u) => rules.has(u.id))
      .map((unit) => ({ unit, rule: { period: rules.get(unit.id)!.period, times: Number(rules.get(unit.id)!.times) } }));
  }

  async ruleOf(unitId: number): Promise<QuotaRuleSetting | null> {
    const [row] = await select<RuleRow>(this.db, 'SELECT id, unit_id, period, times FROM talk_quota_rules WHERE unit_id = ?', [unitId]);
    return row ? { period: row.period, times: Number(row.times) } : null;
  }

  /**
   * Sets or removes each unit's rule in one transaction, an audit line per unit that changed.
   * Any problem throws SheetImportError naming the rows, and nothing is written. `actor` is the
   * 党群工作部 member in chat; null is an operator's `npm run quotas:import` on the server.
   */
  async apply(changes: QuotaRuleChange[], by: { actor: Person | null; channel: string; source: string }): Promise<QuotaRulesReport> {
    if (by.actor && !(await this.deps.roster.holdsAnyRole(by.actor.id, 'partyAffairsAdmin'))) {
      throw await this.deps.audit.refusal(
        this.db,
        { actorId: by.actor.id, channel: by.channel, action: 'talk-quota-rule.refused', subject: `units:${changes.map((c) => c.unitId).join(',')}`.slice(0, 100) },
        '谈心谈话频次由党群工作部设置。',
      );
    }
    const roster = await this.deps.roster.units();
    const units = new Map(roster.map((u) => [u.id, u]));
    const problems = changes.length === 0 ? [NOTHING] : changeProblems(changes, roster);
    if (problems.length > 0) throw new SheetImportError(problems, QUOTA_RULES_NOUN);

    const now = this.deps.clock.now().toISOString();
    return this.db.transaction(async (tx) => {
      const current = new Map((await select<RuleRow>(tx, 'SELECT id, unit_id, period, times FROM talk_quota_rules')).map((r) => [Number(r.unit_id), r]));
      const report: QuotaRulesReport = { changed: [], unchanged: 0 };
      for (const { unitId, rule } of changes) {
        const row = current.get(unitId);
        const before = row ? { period: row.period, times: Number(row.times) } : null;
        if (same(before, rule)) {
          report.unchanged++;
          continue;
        }
        if (!rule) await tx.query('DELETE FROM talk_quota_rules WHERE unit_id = ?', [unitId]);
        else if (row) await update(tx, 'talk_quota_rules', { period: rule.period, times: rule.times }, 'unit_id = ?', [unitId]);
        else await insert(tx, 'talk_quota_rules', { unit_id: unitId, period: rule.period, times: rule.times, created_at: now });
        const unit = units.get(unitId)!;
        await this.deps.audit.append(tx, {
          actorId: by.actor?.id ?? null,
          channel: by.channel,
          action: rule ? 'talk-quota-rule.set' : 'talk-quota-rule.removed',
          subject: `unit:${unitId}`,
          detail: { unit: unit.code, before, after: rule, source: by.source },
        });
        report.changed.push({ unit, before, after: rule });
      }
      return report;
    });
  }
}

/** What an apply did, for the command's output and the chat's receipt. */
export function formatQuotaRulesReport(report: QuotaRulesReport): string {
  return [
    `谈话频次：修改 ${report.changed.length} 个单位，未变 ${report.unchanged} 个`,
    ...report.changed.map((c) => `  ${c.unit.name}（${c.unit.code}）：${ruleWords(c.before)} → ${ruleWords(c.after)}`),
  ].join('\n');
}
