/**
 * 建议办理期限: the policy sets no time limits for follow-up work (it says 及时 at most), so every
 * date the bot suggests is the zone's own setting, named here and in .env.example, and shown as
 * such, never with an article cited for it.
 */

/** Calendar days from the day a task is created to its suggested date (SUGGESTED_DAYS_* in .env.example). */
export interface DeadlineSettings {
  /** 报备市纪委监委. */
  reportToCity: number;
  /** 执行反馈: 执行, 公开, 归档. */
  execution: number;
  /** 约谈提醒. */
  admonition: number;
  /** 纠偏纠错: 整改措施. */
  rectification: number;
  /** 推进治本. */
  rootCause: number;
  /** 备案的绩效评价. */
  evaluation: number;
  /** 澄清正名 carried out once approved. */
  clearance: number;
}
export type DeadlineKey = keyof DeadlineSettings;

export const DEFAULT_DEADLINES: DeadlineSettings = {
  reportToCity: 15,
  execution: 30,
  admonition: 30,
  rectification: 60,
  rootCause: 90,
  evaluation: 30,
  clearance: 30,
};

/**
 * 建议办理期限 2026-12-27（开发区设定）: how a suggested date is written wherever it is shown; a
 * task due when a filing's own 实施期限 ends says that instead.
 */
export function suggestedBy(date: string, atPeriodEnd = false): string {
  return atPeriodEnd ? `实施期限届满 ${date} 后办理` : `建议办理期限 ${date}（开发区设定）`;
}
