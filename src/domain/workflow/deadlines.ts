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
 * A follow-up task as one clause, wherever it is shown: its work, the article it comes from, and
 * the suggested date as the zone's setting ("按规定执行容错免责处理，依据《容错细则》第六条（一）5，
 * 建议于 2026-12-27 前完成（本区设置）"); a task due when a filing's own 实施期限 ends
 * says that instead. The title's closing parenthesis (its basis) becomes a clause of its own, so
 * brackets are never stacked.
 */
export function taskLine(title: string, due: string | null, atPeriodEnd = false): string {
  const { work, basis } = splitBasis(title);
  const when = due === null ? '' : atPeriodEnd ? `，实施期限届满 ${due} 后办理` : `，建议于 ${due} 前完成（本区设置）`;
  return `${work}${basis ? `，依据${basis}` : ''}${when}`;
}

/** "执行处理（《容错细则》第六条（一）5）" → the work and what its closing parenthesis holds. */
function splitBasis(title: string): { work: string; basis: string } {
  if (!title.endsWith('）')) return { work: title, basis: '' };
  let depth = 0;
  for (let i = title.length - 1; i >= 0; i--) {
    if (title[i] === '）') depth++;
    else if (title[i] === '（' && --depth === 0) return i === 0 ? { work: title, basis: '' } : { work: title.slice(0, i), basis: title.slice(i + 1, -1) };
  }
  return { work: title, basis: '' };
}
