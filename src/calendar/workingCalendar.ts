import type { DataSource } from 'typeorm';
import { zoneDate, type Clock } from '../clock';
import type { AuditLog } from '../domain/audit';
import { SheetImportError, type SheetProblem } from '../imports/sheetFile';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Person } from '../roster/types';
import { calendarSource, installCalendar, installedCalendar, packageHasYear, type ArrangedDay, type LoadedCalendar } from '../scheduling/workdays';
import { arrangementProblems, describeArrangement, KIND_WORDS, packageArrangement, workingDaysIn, type SourcedDay } from './arrangement';
import { CalendarStore } from './calendarStore';

export const CALENDAR_NOUN = '节假日安排';

/** From when in the year (MM-DD) next year's missing arrangement is warned of: CALENDAR_WARN_FROM. */
export interface CalendarSettings {
  warnFrom: string;
}
export const DEFAULT_CALENDAR_SETTINGS: CalendarSettings = { warnFrom: '11-01' };

/** Who loads: a 党群工作部 member in chat, or (actor null) an operator running `npm run calendar:import`. */
export interface LoadedBy {
  actor: Person | null;
  channel: string;
  /** The file's name, or 聊天. */
  source: string;
}

export interface YearReport {
  year: number;
  /** What the year's working days came from before: loaded earlier, the package, or weekdays only. */
  before: ReturnType<typeof calendarSource>;
  changed: boolean;
  holidays: number;
  workdays: number;
}

const CHANNEL_WORDS: Record<string, string> = { import: '命令行导入', wecom: '企业微信', dingtalk: '钉钉', simulator: '模拟器', web: '网页' };
const dayText = (d: ArrangedDay) => `${d.date} ${d.name}${KIND_WORDS[d.kind]}`;

/**
 * The zone's working-day calendar as a use case: load a year's arrangement (validated, written in
 * one transaction with its audit line, then installed for src/scheduling/workdays.ts), show the
 * arrangement a year uses, and say when a year the reminders will reach has none.
 *
 * Other instances, and the `calendar:import` command, change the database under this process:
 * refresh() compares the highest load id with the one installed, one indexed query, and re-reads
 * the days only when it moved. The scheduler calls it before each pass.
 */
export class WorkingCalendar {
  private readonly store: CalendarStore;
  /** What this instance installed, and the version it was read at. */
  private mine?: { calendar: LoadedCalendar; version: number };

  constructor(
    private readonly db: DataSource,
    private readonly deps: { audit: AuditLog; clock: Clock; roster: RosterRepository; settings?: CalendarSettings },
  ) {
    this.store = new CalendarStore(db);
  }

  /** CALENDAR_WARN_FROM: the day of the year (MM-DD) from which next year's arrangement is awaited. */
  get warnFrom(): string {
    return (this.deps.settings ?? DEFAULT_CALENDAR_SETTINGS).warnFrom;
  }

  /** Installs the database's loaded years when they changed since (or were installed from elsewhere). */
  async refresh(): Promise<void> {
    if (this.mine && this.mine.calendar === installedCalendar() && this.mine.version === (await this.store.version())) return;
    await this.reload();
  }

  async reload(): Promise<void> {
    const { version, calendar } = await this.store.read();
    installCalendar(calendar);
    this.mine = { calendar, version };
  }

  /**
   * Loads each year's arrangement, replacing what the year had (the package's or an earlier load).
   * Every problem throws SheetImportError, naming rows, and nothing is written; a year whose days
   * are those already loaded is left as it is.
   */
  async load(arrangements: { year: number; days: SourcedDay[] }[], by: LoadedBy): Promise<YearReport[]> {
    if (by.actor && !(await this.deps.roster.holdsAnyRole(by.actor.id, 'partyAffairsAdmin'))) {
      throw await this.deps.audit.refusal(
        this.db,
        { actorId: by.actor.id, channel: by.channel, action: 'calendar.load.refused', subject: `calendar:${arrangements.map((a) => a.year).join(',')}` },
        '节假日安排由党群工作部载入。',
      );
    }
    const now = this.deps.clock.now().toISOString();
    const reports = await this.db.transaction(async (tx) => {
      const problems: SheetProblem[] = [];
      for (const { year, days } of arrangements) {
        problems.push(...arrangementProblems(year, days));
        const elsewhere = await this.store.claimedElsewhere(year, days.map((d) => d.date), tx);
        for (const d of days.filter((x) => elsewhere.has(x.date))) {
          problems.push({ row: d.row, reason: `${d.date} 已属于已载入的 ${elsewhere.get(d.date)} 年安排` });
        }
      }
      if (problems.length > 0) throw new SheetImportError(problems, CALENDAR_NOUN);
      const written: YearReport[] = [];
      for (const { year, days } of arrangements) {
        const plain = days.map(({ date, kind, name }) => ({ date, kind, name })).sort((a, b) => a.date.localeCompare(b.date));
        const previous = await this.store.days(year, tx);
        const before = (await this.store.lastLoad(year, tx)) ? 'loaded' : packageHasYear(year) ? 'package' : 'weekdays';
        const same = before === 'loaded' && previous.map(dayText).join() === plain.map(dayText).join();
        written.push({ year, before, changed: !same, holidays: plain.filter((d) => d.kind === 'holiday').length, workdays: plain.filter((d) => d.kind === 'workday').length });
        if (same) continue;
        const loadId = await this.store.replace(tx, year, plain, { loadedBy: by.actor?.id ?? null, channel: by.channel, source: by.source, loadedAt: now });
        const old = new Set((before === 'loaded' ? previous : packageArrangement(year)).map(dayText));
        const fresh = new Set(plain.map(dayText));
        await this.deps.audit.append(tx, {
          actorId: by.actor?.id ?? null,
          channel: by.channel,
          action: 'calendar.loaded',
          subject: `calendar:${year}`,
          detail: { loadId, source: by.source, replaced: before, added: [...fresh].filter((d) => !old.has(d)), removed: [...old].filter((d) => !fresh.has(d)) },
        });
      }
      return written;
    });
    await this.reload();
    return reports;
  }

  /** The days a year's arrangement names, and where they come from (weekdays only: none). */
  async arrangement(year: number): Promise<{ source: ReturnType<typeof calendarSource>; days: ArrangedDay[] }> {
    await this.refresh();
    const source = calendarSource(year);
    return { source, days: source === 'loaded' ? await this.store.days(year) : source === 'package' ? packageArrangement(year) : [] };
  }

  /** 查看工作日 2027: the arrangement the year uses, and where it comes from. */
  async describe(year: number): Promise<string> {
    await this.refresh();
    const source = calendarSource(year);
    if (source === 'weekdays') {
      return [
        `【${year} 年工作日安排】`,
        `chinese-days 软件包和本系统都还没有 ${year} 年的节假日和调休安排，目前按周一至周五上班计算：春节等假期照常发送提醒和催办，调休上班的周末不发送。`,
        `国务院办公厅发布通知后，党群工作部可发送“设置节假日 ${year}”载入。`,
      ].join('\n');
    }
    const days = source === 'loaded' ? await this.store.days(year) : packageArrangement(year);
    const load = source === 'loaded' ? await this.store.lastLoad(year) : undefined;
    const origin = load
      ? `本系统载入（${zoneDate(new Date(load.loadedAt))} ${load.loadedBy ?? ''}通过${CHANNEL_WORDS[load.channel] ?? load.channel}，${load.source}），代替 chinese-days 软件包`
      : 'chinese-days 软件包';
    return [
      `【${year} 年工作日安排】来源：${origin}`,
      ...describeArrangement(year, days),
      `其余日期周一至周五上班，周六、周日休息；全年共 ${workingDaysIn(year, days)} 个工作日。谈心谈话提醒、审批催办和期限都按此计算。`,
    ].join('\n');
  }

  /**
   * The year, if any, whose arrangement is missing as of `date`: this year's, or from
   * CALENDAR_WARN_FROM on, next year's.
   */
  missingYear(date: string): number | undefined {
    const year = Number(date.slice(0, 4));
    if (calendarSource(year) === 'weekdays') return year;
    if (date.slice(5) >= this.warnFrom && calendarSource(year + 1) === 'weekdays') return year + 1;
    return undefined;
  }

  /** What /healthz warns of: not a failure, the bot works on, but reminders will fall on holidays. */
  healthWarnings(now: Date): Record<string, string> {
    const year = this.missingYear(zoneDate(now));
    return year === undefined
      ? {}
      : { calendar: `no holiday arrangement for ${year} (neither in chinese-days nor loaded): working days fall back to Monday–Friday; load it with npm run calendar:import or 设置节假日 ${year} in chat` };
  }
}
