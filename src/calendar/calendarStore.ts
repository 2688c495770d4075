import type { DataSource, EntityManager } from 'typeorm';
import type { ArrangedDay, DayKind, LoadedCalendar } from '../scheduling/workdays';
import { insert, select, type Executor } from '../storage/sql';

/** Who loaded a year's arrangement, when and from where. */
export interface CalendarLoadInfo {
  id: number;
  year: number;
  loadedBy: string | null;
  channel: string;
  source: string;
  loadedAt: string;
}

interface DayRow {
  year: number;
  day: string;
  kind: DayKind;
  name: string;
}

const toDay = (r: DayRow): ArrangedDay => ({ date: r.day, kind: r.kind, name: r.name });

/** The loaded arrangements: `calendar_loads` (one row per load, the history) and `calendar_days`. */
export class CalendarStore {
  constructor(private readonly db: DataSource) {}

  /** The highest load id: it moves with every load, and costs one index lookup to read. */
  async version(ex: Executor = this.db): Promise<number> {
    const [row] = await select<{ v: number | null }>(ex, 'SELECT MAX(id) AS v FROM calendar_loads');
    return Number(row?.v ?? 0);
  }

  /** Every loaded year and its days, with the version they are as of, read together. */
  async read(): Promise<{ version: number; calendar: LoadedCalendar }> {
    return this.db.transaction(async (tx) => {
      const version = await this.version(tx);
      const years = await select<{ year: number }>(tx, 'SELECT DISTINCT year FROM calendar_loads');
      const days = await select<DayRow>(tx, 'SELECT year, day, kind, name FROM calendar_days');
      return {
        version,
        calendar: { years: new Set(years.map((y) => Number(y.year))), days: new Map(days.map((d) => [d.day, toDay(d)])) },
      };
    });
  }

  async days(year: number, ex: Executor = this.db): Promise<ArrangedDay[]> {
    return (await select<DayRow>(ex, 'SELECT year, day, kind, name FROM calendar_days WHERE year = ? ORDER BY day', [year])).map(toDay);
  }

  /** Dates of other years' arrangements among these: a date belongs to one year only. */
  async claimedElsewhere(year: number, dates: string[], ex: Executor = this.db): Promise<Map<string, number>> {
    if (dates.length === 0) return new Map();
    const rows = await select<{ day: string; year: number }>(
      ex,
      `SELECT day, year FROM calendar_days WHERE year <> ? AND day IN (${dates.map(() => '?').join(', ')})`,
      [year, ...dates],
    );
    return new Map(rows.map((r) => [r.day, Number(r.year)]));
  }

  async lastLoad(year: number, ex: Executor = this.db): Promise<CalendarLoadInfo | undefined> {
    const [row] = await select<{ id: number; year: number; name: string | null; channel: string; source: string; loaded_at: string }>(
      ex,
      `SELECT l.id, l.year, p.name, l.channel, l.source, l.loaded_at FROM calendar_loads l LEFT JOIN people p ON p.id = l.loaded_by
       WHERE l.year = ? ORDER BY l.id DESC LIMIT 1`,
      [year],
    );
    return row && { id: Number(row.id), year: Number(row.year), loadedBy: row.name, channel: row.channel, source: row.source, loadedAt: row.loaded_at };
  }

  /** Replaces a year's days with these, as a new load; in the caller's transaction. */
  async replace(
    tx: EntityManager,
    year: number,
    days: ArrangedDay[],
    load: { loadedBy: number | null; channel: string; source: string; loadedAt: string },
  ): Promise<number> {
    await insert(tx, 'calendar_loads', {
      year,
      loaded_by: load.loadedBy,
      channel: load.channel,
      source: load.source.slice(0, 200),
      holidays: days.filter((d) => d.kind === 'holiday').length,
      workdays: days.filter((d) => d.kind === 'workday').length,
      loaded_at: load.loadedAt,
    });
    const loadId = await this.version(tx);
    await tx.query('DELETE FROM calendar_days WHERE year = ?', [year]);
    await insert(tx, 'calendar_days', days.map((d) => ({ year, day: d.date, kind: d.kind, name: d.name, load_id: loadId })));
    return loadId;
  }
}
