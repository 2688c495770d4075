/** How people who join or leave mid-year are counted: see TALK_PARTIAL_YEAR in .env.example. */
export const PARTIAL_YEAR_MODES = ['prorate', 'full', 'exclude'] as const;
export type PartialYearMode = (typeof PARTIAL_YEAR_MODES)[number];

export const TALK_PERIODS = ['month', 'quarter', 'half', 'year'] as const;
export type TalkPeriod = (typeof TALK_PERIODS)[number];

export const PERIOD_MONTHS: Record<TalkPeriod, number> = { month: 1, quarter: 3, half: 6, year: 12 };
export const PERIOD_WORDS: Record<TalkPeriod, string> = { month: '每月', quarter: '每季度', half: '每半年', year: '每年' };

export interface TalkSettings {
  partialYear: PartialYearMode;
  /** How often an adjusted cadre's party secretary talks with them (能上能下办法 第十四条 “定期”). */
  adjustedTalkPeriod: TalkPeriod;
  /**
   * Until when: `influence` for the 第十三条 influence period (12 months where there is none), or a
   * number of months from the adjustment. The article says only 定期.
   */
  adjustedTalkSpan: 'influence' | number;
  /** How long a talker may change or withdraw a record in place; later corrections are appended. */
  editGraceHours: number;
}

export const DEFAULT_TALK_SETTINGS: TalkSettings = { partialYear: 'prorate', adjustedTalkPeriod: 'quarter', adjustedTalkSpan: 'influence', editGraceHours: 24 };
