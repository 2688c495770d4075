import type { QuotaReport } from './quotas';
import { PERIOD_WORDS } from './settings';
import { statusOf, type Status } from './slots';

export interface Talkee {
  personId: number;
  name: string;
  /** Owed as 被调整干部谈话 (能上能下办法 第十四条), so logging it is prefilled with that kind. */
  adjusted: boolean;
}

/** Where one leader stands, by person: counts and names only, never what was said. */
export interface TalkerProgress {
  talkerId: number;
  done: Talkee[];
  owed: Talkee[];
}

export const BASIS_ANNUAL = '依据《激励办法》第十一条（四）';
export const BASIS_ADJUSTED = '依据《能上能下办法》第十四条';

const MAX_LEADERS_LISTED = 15;

export function shortDate(iso: string): string {
  return `${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
}

/** Each leader's talkees, counted once each: owed when any of their talks is owed now. */
export function progressByTalker(report: QuotaReport): Map<number, TalkerProgress> {
  const status = new Map<string, { talkerId: number; talkeeId: number; status: Status; adjusted: boolean }>();
  for (const o of report.obligations) {
    const s = statusOf(o.slots, report.asOf);
    if (s === 'upcoming') continue;
    const key = `${o.talkerId}:${o.talkeeId}`;
    const adjusted = s === 'owed' && o.reasons.includes('adjusted');
    const before = status.get(key);
    if (!before) status.set(key, { talkerId: o.talkerId, talkeeId: o.talkeeId, status: s, adjusted });
    else if (s === 'owed') Object.assign(before, { status: 'owed', adjusted: before.adjusted || adjusted });
  }
  const byTalker = new Map<number, TalkerProgress>();
  for (const entry of status.values()) {
    let progress = byTalker.get(entry.talkerId);
    if (!progress) byTalker.set(entry.talkerId, (progress = { talkerId: entry.talkerId, done: [], owed: [] }));
    const talkee = { personId: entry.talkeeId, name: report.people.get(entry.talkeeId)?.name ?? '', adjusted: entry.adjusted };
    (entry.status === 'owed' ? progress.owed : progress.done).push(talkee);
  }
  return byTalker;
}

const names = (talkees: Talkee[]) => talkees.map((t) => (t.adjusted ? `${t.name}（被调整干部）` : t.name)).join('、');

/** 本年度应谈 12 人，已谈 8 人，还差：…, or undefined for someone who owes no talks. */
export function headline(progress: TalkerProgress | undefined): string | undefined {
  if (!progress) return undefined;
  const due = progress.done.length + progress.owed.length;
  if (progress.owed.length === 0) return `本年度应谈 ${due} 人，已全部谈过。`;
  return `本年度应谈 ${due} 人，已谈 ${progress.done.length} 人，还差：${names(progress.owed)}。`;
}

/** 我的谈话进度. */
export function progressText(report: QuotaReport, talkerId: number): string {
  const progress = progressByTalker(report).get(talkerId);
  const title = `【我的谈话进度】${report.year}年，截至${shortDate(report.asOf)}`;
  if (!progress) return `${title}\n按名册，您本年度没有应谈的对象（${BASIS_ANNUAL}）。如名册有误请联系党群工作部。`;
  const adjusted = report.obligations.filter((o) => o.talkerId === talkerId && o.reasons.includes('adjusted'));
  const lines = [title, `${BASIS_ANNUAL}：${headline(progress)}`];
  if (progress.done.length > 0) lines.push(`已谈：${progress.done.map((t) => t.name).join('、')}。`);
  for (const o of adjusted) {
    const current = o.slots.filter((s) => s.from <= report.asOf).at(-1);
    const period = current ? `本期 ${shortDate(current.from)}—${shortDate(current.to)}${current.held >= current.required ? '已谈' : '尚未谈话'}` : `首期自 ${shortDate(o.slots[0].from)} 起`;
    lines.push(`被调整干部 ${report.people.get(o.talkeeId)?.name ?? ''}：定期谈心谈话（${BASIS_ADJUSTED}），本区设定${PERIOD_WORDS[o.period]}一次，${period}。`);
  }
  if (progress.owed.length > 0) lines.push('谈过后发送“记录谈话”即可登记。');
  return lines.join('\n');
}

/** One unit's count of talks owed so far this year: those held, those still owed. */
export interface UnitCompletion {
  unitId: number;
  name: string;
  done: number;
  owed: number;
}

/**
 * The organisation a unit belongs to for the zone's figures: a 内设机构 counts with the 镇街园 or
 * 机关部门 it is part of.
 */
export function organisationOf(report: QuotaReport, unitId: number): number {
  for (let u = report.units.get(unitId); u; u = u.parentId === null ? undefined : report.units.get(u.parentId)) {
    if (u.kind !== '内设机构') return u.id;
  }
  return unitId;
}

/** Talks owed by now, counted per organisation (人次: a pair owed twice counts twice), in roster order. */
export function completionByUnit(report: QuotaReport): UnitCompletion[] {
  const byUnit = new Map<number, UnitCompletion>();
  for (const o of report.obligations) {
    const s = statusOf(o.slots, report.asOf);
    if (s === 'upcoming') continue;
    const unitId = organisationOf(report, o.unitId);
    const counts = byUnit.get(unitId) ?? { unitId, name: report.units.get(unitId)?.name ?? '', done: 0, owed: 0 };
    counts[s] += 1;
    byUnit.set(unitId, counts);
  }
  return [...byUnit.values()].sort((a, b) => a.unitId - b.unitId);
}

export const completionRate = (done: number, owed: number): string => (done + owed === 0 ? '—' : `${Math.round((100 * done) / (done + owed))}%`);

/** 谈话进度汇总 for 党群工作部: counts by unit and by leader, no contents. */
export function zoneSummary(report: QuotaReport): string {
  const units = completionByUnit(report);
  const done = units.reduce((n, u) => n + u.done, 0);
  const owed = units.reduce((n, u) => n + u.owed, 0);
  const lines = [
    `【谈心谈话进度汇总】${report.year}年，截至${shortDate(report.asOf)}（${BASIS_ANNUAL}、《能上能下办法》第十四条）`,
    `全区：应谈 ${done + owed} 人次，已谈 ${done}，未谈 ${owed}，完成率 ${completionRate(done, owed)}。`,
    '按单位：',
  ];
  for (const c of units) lines.push(`· ${c.name}：应谈 ${c.done + c.owed}，已谈 ${c.done}，未谈 ${c.owed}（${completionRate(c.done, c.owed)}）`);
  const behind = [...progressByTalker(report).values()].filter((p) => p.owed.length > 0).sort((a, b) => b.owed.length - a.owed.length);
  lines.push(behind.length > 0 ? '尚有未谈人员的领导：' : '各位领导均已谈完。');
  for (const p of behind.slice(0, MAX_LEADERS_LISTED)) {
    const leader = report.people.get(p.talkerId);
    const unit = leader && report.units.get(leader.unitId);
    lines.push(`· ${leader?.name ?? ''}（${unit?.name ?? ''}）：应谈 ${p.done.length + p.owed.length} 人，已谈 ${p.done.length} 人，还差 ${p.owed.length} 人`);
  }
  if (behind.length > MAX_LEADERS_LISTED) lines.push(`……另有 ${behind.length - MAX_LEADERS_LISTED} 位领导尚有未谈人员。`);
  return lines.join('\n');
}
