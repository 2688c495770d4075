import { CATEGORIES, levelOf, type Category } from './grades';
import type { LedgerIndex, PersonYear } from './ledger';
import type { IncentiveSettings } from './settings';
import type { ZonePerson, ZoneView } from './zoneView';

/**
 * 激励办法 read off the 考核 ledger: what each rule makes of the results, with the years that made
 * it so. Everything here is a proposal; 党群工作部 confirms the lists (incentiveLists.ts).
 */

/** Something a person or unit is eligible for, and why. */
export interface Eligibility {
  /** person:12 or unit:3. */
  subject: string;
  personId: number | null;
  unitId: number | null;
  /** 《激励办法》第九条（三） … */
  article: string;
  years: number[];
  /** “2024、2025、2026 年度考核均为优秀（《激励办法》第九条（三））”. */
  reason: string;
  /** What the article grants, in its words. */
  measure: string;
}

const yearsText = (years: number[]) => `${years.join('、')} 年度`;
const lastYears = (year: number, n: number) => Array.from({ length: n }, (_, i) => year - n + 1 + i);

export interface WinningProposal {
  category: Category;
  /** Units ranked in the category that year. */
  ranked: number;
  /** How many the share gives (rounded, at least one). */
  quota: number;
  share: number;
  units: { unitId: number; rank: number }[];
}

/** 第八条（一）: the top of each category by the settings' share, rounded to whole units, at least one. */
export function proposeWinningUnits(year: number, ledger: LedgerIndex, settings: IncentiveSettings): WinningProposal[] {
  return CATEGORIES.map((category) => {
    const ranked = ledger
      .unitsOf(year)
      .filter((u) => u.category === category && u.rank !== null)
      .sort((a, b) => a.rank! - b.rank!);
    const share = settings.winningShares[category];
    const quota = ranked.length === 0 ? 0 : Math.max(1, Math.round((ranked.length * share) / 100));
    return { category, ranked: ranked.length, quota, share, units: ranked.slice(0, quota).map((u) => ({ unitId: u.unitId, rank: u.rank! })) };
  });
}

/** 第九条（二）: units 优胜 in each of the three years ending `year` (by the confirmed lists, else the proposals). */
export function favouredUnits(year: number, winners: (year: number) => Set<number>, zone: ZoneView): Eligibility[] {
  const years = lastYears(year, 3);
  const sets = years.map(winners);
  return [...sets[2]]
    .filter((unitId) => sets[0].has(unitId) && sets[1].has(unitId))
    .map((unitId) => ({
      subject: `unit:${unitId}`,
      personId: null,
      unitId,
      article: '《激励办法》第九条（二）',
      years,
      reason: `${zone.unitName(unitId)}${yearsText(years)}均为考核优胜单位（《激励办法》第九条（二））`,
      measure: '在干部选拔使用上优先考虑',
    }));
}

const excellentIn = (ledger: LedgerIndex, personId: number, years: number[]) => years.every((y) => ledger.person(y, personId)?.grade === '优秀');

/** 第九条（三） by 性质, in the article's words. */
function promotionMeasure(person: ZonePerson): string | undefined {
  if (/年薪制/.test(person.nature)) return '可优先考虑选拔进入企业性质，优先推荐为村（社区）两委干部人选';
  if (/企业性质/.test(person.nature)) return '优先推荐或考虑提拔使用；可优先晋级，优先推荐为村（社区）两委干部人选';
  if (/行政|事业|参公/.test(person.nature)) return '优先推荐或考虑提拔使用';
  return undefined;
}

/** 第九条（三）（五）: three consecutive 优秀 years ending `year`, of the person or of a 村书记's 村. */
export function priorityPromotion(year: number, ledger: LedgerIndex, zone: ZoneView): Eligibility[] {
  const years = lastYears(year, 3);
  const found: Eligibility[] = [];
  for (const row of ledger.peopleOf(year)) {
    const person = zone.people.get(row.personId);
    const measure = person && !person.leftOn ? promotionMeasure(person) : undefined;
    if (!person || !measure || !excellentIn(ledger, person.id, years)) continue;
    found.push({
      subject: `person:${person.id}`, personId: person.id, unitId: person.unitId, article: '《激励办法》第九条（三）', years, measure,
      reason: `${yearsText(years)}考核均为优秀（《激励办法》第九条（三））`,
    });
  }
  for (const u of ledger.unitsOf(year)) {
    if (zone.units.get(u.unitId)?.kind !== '村/社区' || !years.every((y) => ledger.unit(y, u.unitId)?.villageGrade === '优秀')) continue;
    for (const secretary of zone.holders('partySecretary', u.unitId)) {
      found.push({
        subject: `person:${secretary.id}`, personId: secretary.id, unitId: u.unitId, article: '《激励办法》第九条（五）', years,
        measure: '符合相关任职条件的，优先推荐选任到事业岗位',
        reason: `所在${zone.unitName(u.unitId)}${yearsText(years)}考核均为优秀（《激励办法》第九条（五））`,
      });
    }
  }
  return found;
}

/** The most 健康休养 a person may have in a year: “不超过7天（按工作日计算，不计入年休假假期）”. */
export const HEALTH_RETREAT_MAX_DAYS = 7;

/**
 * 第十一条（五）: the 健康休养 list of `year` — people of 机关部门、镇街园、村（社区） rated 优秀 in the
 * three years before it, less those recorded as taking part in a higher level's 健康休养 that year.
 */
export function healthRetreatList(year: number, ledger: LedgerIndex, zone: ZoneView, higher: Set<number>): Eligibility[] {
  const years = lastYears(year - 1, 3);
  return ledger
    .peopleOf(year - 1)
    .map((row) => zone.people.get(row.personId))
    .filter((p): p is ZonePerson => !!p && !p.leftOn && zone.inHealthRetreatUnits(p) && !higher.has(p.id) && excellentIn(ledger, p.id, years))
    .map((p) => ({
      subject: `person:${p.id}`, personId: p.id, unitId: p.unitId, article: '《激励办法》第十一条（五）', years,
      measure: `健康休养，不超过${HEALTH_RETREAT_MAX_DAYS}天（按工作日计算，不计入年休假假期）`,
      reason: `${yearsText(years)}考核均为优秀（《激励办法》第十一条（五））`,
    }));
}

export interface ExcellentShareChange {
  unitId: number;
  category: Category;
  points: number;
  reason: string;
}

/** 第十条（三）: 优胜 特色园区 and 机关部门 raise their staff's 优秀 share, the last-ranked lower it, by the settings' points. */
export function excellentShareChanges(year: number, ledger: LedgerIndex, winners: Set<number>, settings: IncentiveSettings, zone: ZoneView): ExcellentShareChange[] {
  const changes: ExcellentShareChange[] = [];
  for (const category of ['特色园区', '综合保障部门', '经济服务部门'] as const) {
    const ranked = ledger.unitsOf(year).filter((u) => u.category === category && u.rank !== null);
    const last = Math.max(...ranked.map((u) => u.rank!));
    for (const u of ranked) {
      const name = zone.unitName(u.unitId);
      if (winners.has(u.unitId)) {
        changes.push({ unitId: u.unitId, category, points: settings.excellentShareRaise, reason: `${name} ${year} 年度考核优胜单位：适当提高工作人员年度考核优秀等次比例（《激励办法》第十条（三））` });
      } else if (ranked.length >= 2 && u.rank === last) {
        changes.push({ unitId: u.unitId, category, points: -settings.excellentShareLower, reason: `${name} ${year} 年度${category}排名最后：适当降低工作人员年度考核优秀等次比例（《激励办法》第十条（三））` });
      }
    }
  }
  return changes;
}

export interface PromotionYears {
  /** The year the count starts from: after the last 晋级 recorded, or the first in the ledger. */
  since: number | null;
  /** Net change of the 晋级年限条件 in months: negative is shorter. */
  months: number;
  lines: string[];
}

/**
 * 机关企业性质人员's 晋级年限条件 since their last 晋级: each 优秀 year shortens it by half a year
 * (激励办法 第九条（六）), each 基本合格 or lower lengthens it by a year (能上能下办法 第八条（八）).
 * A year marked 当年晋级 starts the count afresh, its own result included.
 */
export function promotionYears(rows: PersonYear[]): PromotionYears {
  const sorted = [...rows].sort((a, b) => a.year - b.year);
  const start = sorted.map((r) => r.promoted).lastIndexOf(true);
  const counted = sorted.slice(Math.max(0, start));
  const lines: string[] = [];
  let months = 0;
  for (const r of counted) {
    if (!r.grade) continue;
    const level = levelOf(r.grade);
    if (level === 1) {
      months -= 6;
      lines.push(`${r.year} 年度优秀：晋级年限条件缩短半年（《激励办法》第九条（六））`);
    } else if (level >= 3) {
      months += 12;
      lines.push(`${r.year} 年度${r.grade}：晋升年限条件延长1年（《能上能下办法》第八条（八））`);
    }
  }
  return { since: counted[0]?.year ?? null, months, lines };
}

/** “缩短 1 年”, “延长 6 个月”, “不变”. */
export function monthsText(months: number): string {
  if (months === 0) return '不变';
  const abs = Math.abs(months);
  const amount = abs % 12 === 0 ? `${abs / 12} 年` : abs > 12 ? `${Math.floor(abs / 12)} 年 ${abs % 12} 个月` : `${abs} 个月`;
  return `${months < 0 ? '缩短' : '延长'} ${amount}`;
}
