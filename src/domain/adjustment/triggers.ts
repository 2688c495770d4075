import { levelOf, overOneThird, reachesOneThird, shareText, type Category } from '../assessment/grades';
import type { LedgerIndex, UnitYear } from '../assessment/ledger';
import type { ZonePerson, ZoneView } from '../assessment/zoneView';

/**
 * 能上能下办法 第八条 read off the 考核 ledger: each finding names the item, whom it concerns and
 * the data that make it so. A finding is a reason to consider an adjustment, never one: the
 * article adds “经组织认定不适宜担任现职的”, which is the 组织人事部门's call.
 */
export interface Finding {
  year: number;
  /** 第八条 item, 1–9. */
  item: number;
  /** What the finding is about, unique within a year and item: person:12, unit:3, line:安全生产:3. */
  subjectKey: string;
  personId: number | null;
  unitId: number | null;
  facts: string;
}

const twoYears = (year: number) => `${year - 1}、${year} 年度`;

/** Ranks of one year's units in one category, or of the 村（社区） of one 镇街: the last is the highest. */
function lastPlaces<T>(entries: T[], group: (e: T) => string | null, rank: (e: T) => number | null): Map<string, { last: number; count: number }> {
  const groups = new Map<string, { last: number; count: number }>();
  for (const e of entries) {
    const key = group(e);
    const r = rank(e);
    if (key === null || r === null) continue;
    const g = groups.get(key) ?? { last: 0, count: 0 };
    groups.set(key, { last: Math.max(g.last, r), count: g.count + 1 });
  }
  return groups;
}

/** Whether the entry is last of its group (of two or more) in that year. */
const isLast = (places: Map<string, { last: number; count: number }>, key: string | null, rank: number | null) => {
  const g = key === null ? undefined : places.get(key);
  return g !== undefined && g.count >= 2 && rank === g.last;
};

export function findTriggers(year: number, ledger: LedgerIndex, zone: ZoneView): Finding[] {
  const findings: Finding[] = [];
  const serving = (p: ZonePerson | undefined): p is ZonePerson => p !== undefined && !p.leftOn;
  const forPerson = (item: number, person: ZonePerson, facts: string) =>
    findings.push({ year, item, subjectKey: `person:${person.id}`, personId: person.id, unitId: person.unitId, facts });
  const heads = (unitId: number) => {
    const leaders = [...zone.holders('unitLeader', unitId), ...zone.holders('partySecretary', unitId)];
    return [...new Map(leaders.map((p) => [p.id, p])).values()];
  };

  // （一） 江阴市年度考核 第四等次 two years running → the unit's 党政主要负责人.
  for (const u of ledger.unitsOf(year)) {
    if (u.cityGrade !== '第四等次' || ledger.unit(year - 1, u.unitId)?.cityGrade !== '第四等次') continue;
    for (const head of heads(u.unitId)) {
      forPerson(1, head, `${zone.unitName(u.unitId)}${twoYears(year)}江阴市年度考核均为第四等次；${head.name}为其党政主要负责人`);
    }
  }

  // （二） 一体化绩效考核 last of its category, or last in a 条线, two years running.
  const places = (y: number) => lastPlaces(ledger.unitsOf(y), (u: UnitYear) => u.category, (u) => u.rank);
  const [now, before] = [places(year), places(year - 1)];
  for (const u of ledger.unitsOf(year)) {
    const prior = ledger.unit(year - 1, u.unitId);
    if (!isLast(now, u.category, u.rank) || !prior || prior.category !== u.category || !isLast(before, prior.category, prior.rank)) continue;
    const category = u.category as Category;
    const facts = `${zone.unitName(u.unitId)}${twoYears(year)}一体化绩效考核（${category}）均为最后一名（第 ${prior.rank}/${before.get(category)!.count} 名、第 ${u.rank}/${now.get(category)!.count} 名）`;
    const leaders = zone.holders('unitLeader', u.unitId);
    for (const leader of leaders) forPerson(2, leader, `${facts}；${leader.name}为其主要领导`);
    if (leaders.length === 0) findings.push({ year, item: 2, subjectKey: `unit:${u.unitId}`, personId: null, unitId: u.unitId, facts });
  }
  const linePlaces = (y: number) => lastPlaces(ledger.lines.filter((l) => l.year === y), (l) => l.line, (l) => l.rank);
  const [linesNow, linesBefore] = [linePlaces(year), linePlaces(year - 1)];
  for (const l of ledger.lines.filter((r) => r.year === year)) {
    const prior = ledger.lines.find((r) => r.year === year - 1 && r.line === l.line && r.unitId === l.unitId);
    if (!prior || !isLast(linesNow, l.line, l.rank) || !isLast(linesBefore, l.line, prior.rank)) continue;
    findings.push({
      year, item: 2, subjectKey: `line:${l.line}:${l.unitId}`, personId: null, unitId: l.unitId,
      facts: `${zone.unitName(l.unitId)}${l.line}条线工作${twoYears(year)}一体化绩效考核均为最后一名（第 ${prior.rank}/${linesBefore.get(l.line)!.count} 名、第 ${l.rank}/${linesNow.get(l.line)!.count} 名）；条线负责人请组织人事部门核实`,
    });
  }

  for (const row of ledger.peopleOf(year)) {
    const person = zone.people.get(row.personId);
    if (!serving(person)) continue;
    const prior = ledger.person(year - 1, row.personId);
    // （三） 不称职 votes over one third.
    if (row.incompetentShare && overOneThird(row.incompetentShare)) {
      forPerson(3, person, `${year} 年度民主测评不称职得票 ${shareText(row.incompetentShare)}，超过三分之一`);
    }
    // （四） 不称职, or 基本称职 two years running.
    const level = row.grade && levelOf(row.grade);
    if (level === 4) forPerson(4, person, `${year} 年度考核为${row.grade}等次`);
    else if (level === 3 && prior?.grade && levelOf(prior.grade) === 3) forPerson(4, person, `${twoYears(year)}考核均为${row.grade}等次`);
    // （五）（六） against-votes reaching one third.
    if (row.probationAgainst && reachesOneThird(row.probationAgainst)) {
      forPerson(5, person, `${year} 年试用期满考核不同意转正得票 ${shareText(row.probationAgainst)}，达三分之一${row.probationResult ? `（考核结果：${row.probationResult}）` : ''}`);
    }
    if (row.contractAgainst && reachesOneThird(row.contractAgainst)) {
      forPerson(6, person, `${year} 年聘任期满考核不同意继续聘任得票 ${shareText(row.contractAgainst)}，达三分之一${row.contractResult ? `（考核结果：${row.contractResult}）` : ''}`);
    }
    // （七） 国资公司 聘任期满 不合格.
    if (row.soeContract === '不合格') forPerson(7, person, `${year} 年国资公司聘任期满考核不合格`);
    // （八） two years 不合格: 解聘. (Each 基本合格 or lower lengthening 晋升年限 is arithmetic, not a trigger: see promotionYears.)
    if (zone.isOfficeEnterpriseStaff(person) && level === 4 && prior?.grade && levelOf(prior.grade) === 4) {
      forPerson(8, person, `机关企业性质人员，${twoYears(year)}考核均为不合格`);
    }
  }

  // （九） a 村（社区） last in its 镇街's ranking two years running → its 书记.
  const villages = (y: number) => lastPlaces(ledger.unitsOf(y), (u) => (u.townRank === null ? null : String(zone.units.get(u.unitId)?.parentId)), (u) => u.townRank);
  const [townNow, townBefore] = [villages(year), villages(year - 1)];
  for (const u of ledger.unitsOf(year)) {
    const town = String(zone.units.get(u.unitId)?.parentId);
    const prior = ledger.unit(year - 1, u.unitId);
    if (!isLast(townNow, town, u.townRank) || !prior || !isLast(townBefore, town, prior.townRank)) continue;
    const townName = zone.units.get(Number(town))?.name ?? '';
    for (const secretary of zone.holders('partySecretary', u.unitId)) {
      forPerson(9, secretary, `${zone.unitName(u.unitId)}${twoYears(year)}在${townName}考核中均为最后一名（第 ${prior.townRank}/${townBefore.get(town)!.count} 名、第 ${u.townRank}/${townNow.get(town)!.count} 名）；${secretary.name}为其书记`);
    }
  }
  return findings.sort((a, b) => a.item - b.item);
}

/**
 * 第八条（八）, first half: each 基本合格 or lower of a 机关企业性质人员 lengthens their 晋升年限条件 by
 * a year. Arithmetic the 组织人事部门 applies, listed with the warnings but opening no case.
 */
export function promotionExtensions(year: number, ledger: LedgerIndex, zone: ZoneView): { personId: number; facts: string }[] {
  return ledger.peopleOf(year).flatMap((row) => {
    const person = zone.people.get(row.personId);
    if (!person || person.leftOn || !row.grade || levelOf(row.grade) < 3 || !zone.isOfficeEnterpriseStaff(person)) return [];
    return [{ personId: person.id, facts: `${year} 年度考核为${row.grade}等次，晋升年限条件延长1年` }];
  });
}
