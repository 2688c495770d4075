import { CATEGORIES, type Category } from './grades';

/** The zone's own numbers where 激励办法 says only 左右 or 适当: see .env.example. */
export interface IncentiveSettings {
  /** 第八条（一）: the share of each category named 优胜单位, in percent (the article: 50%、30%、20%、20%左右). */
  winningShares: Record<Category, number>;
  /** 第十条（三）: percentage points by which a 优胜单位's 优秀等次比例 is raised, and a last-ranked unit's lowered. */
  excellentShareRaise: number;
  excellentShareLower: number;
}

export const DEFAULT_INCENTIVE_SETTINGS: IncentiveSettings = {
  winningShares: { 镇街园: 50, 特色园区: 30, 综合保障部门: 20, 经济服务部门: 20 },
  excellentShareRaise: 5,
  excellentShareLower: 5,
};

/** "50,30,20,20" in the order of CATEGORIES. */
export function parseWinningShares(text: string): Record<Category, number> | undefined {
  const parts = text.split(/[,，]/).map((p) => p.trim());
  if (parts.length !== CATEGORIES.length || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) >= 1 && Number(p) <= 100)) return undefined;
  return Object.fromEntries(CATEGORIES.map((c, i) => [c, Number(parts[i])])) as Record<Category, number>;
}
