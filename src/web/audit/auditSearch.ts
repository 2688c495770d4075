import type { DataSource } from 'typeorm';
import { select } from '../../storage/sql';
import type { Viewer } from '../access';
import type { AuditPage, AuditRow } from '../api/contract';

export interface AuditFilter {
  /** A roster code or a name: lines by that person, or about them (subject person:<code>). */
  person?: string;
  /** A case number such as RC2026-0001: lines about that case. */
  caseNumber?: string;
  /** An action or its start: `talk.read`, `signin`, `.refused` for every refusal. */
  action?: string;
  /** Zone dates, both included. */
  from?: string;
  to?: string;
}

export const AUDIT_PAGE = 50;
export const AUDIT_EXPORT_LIMIT = 10_000;

/** A zone date's first instant, as the UTC ISO strings the log stores (Asia/Shanghai is UTC+8 all year). */
const zoneStart = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString();
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * Searches the append-only audit log. 党群工作部 searches all of it; a 纪工委 member what the people
 * of their territory did (the actor's unit within it).
 */
export class AuditSearch {
  constructor(private readonly db: DataSource) {}

  async search(viewer: Viewer, filter: AuditFilter, page: { offset: number; limit: number }): Promise<Pick<AuditPage, 'rows' | 'total'>> {
    const { where, params } = await this.conditions(viewer, filter);
    const [count] = await select<{ n: number }>(this.db, `SELECT COUNT(*) AS n FROM audit_log a LEFT JOIN people p ON p.id = a.actor_id ${where}`, params);
    const rows = await select<{ id: number; at: string; code: string | null; name: string | null; channel: string | null; action: string; subject: string; detail: string | null }>(
      this.db,
      `SELECT a.id, a.at, p.code, p.name, a.channel, a.action, a.subject, a.detail FROM audit_log a LEFT JOIN people p ON p.id = a.actor_id
       ${where} ORDER BY a.id DESC LIMIT ${Math.floor(page.limit)} OFFSET ${Math.floor(page.offset)}`,
      params,
    );
    return {
      total: Number(count.n),
      rows: rows.map((r): AuditRow => ({
        id: Number(r.id), at: r.at, actor: r.code === null ? null : { code: r.code, name: r.name ?? '' }, channel: r.channel, action: r.action, subject: r.subject, detail: r.detail,
      })),
    };
  }

  private async conditions(viewer: Viewer, filter: AuditFilter): Promise<{ where: string; params: unknown[] }> {
    const clauses: string[] = [];
    const params: unknown[] = [];
    if (!viewer.admin) {
      const units = [...viewer.disciplineUnits];
      clauses.push(units.length === 0 ? '1 = 0' : `p.unit_id IN (${units.map(() => '?').join(', ')})`);
      params.push(...units);
    }
    if (filter.person) {
      const people = await select<{ id: number; code: string }>(this.db, 'SELECT id, code FROM people WHERE code = ? OR name = ?', [filter.person, filter.person]);
      if (people.length === 0) clauses.push('1 = 0');
      else {
        clauses.push(`(a.actor_id IN (${people.map(() => '?').join(', ')}) OR a.subject IN (${people.map(() => '?').join(', ')}))`);
        params.push(...people.map((p) => Number(p.id)), ...people.map((p) => `person:${p.code}`));
      }
    }
    if (filter.caseNumber) {
      const [c] = await select<{ id: number }>(this.db, 'SELECT id FROM cases WHERE number = ?', [filter.caseNumber.toUpperCase()]);
      clauses.push(c ? 'a.subject = ?' : '1 = 0');
      if (c) params.push(`case:${Number(c.id)}`);
    }
    if (filter.action) {
      clauses.push('a.action LIKE ?');
      params.push(filter.action.startsWith('.') ? `%${filter.action}` : `${filter.action}%`);
    }
    if (filter.from) {
      clauses.push('a.at >= ?');
      params.push(zoneStart(filter.from));
    }
    if (filter.to) {
      clauses.push('a.at < ?');
      params.push(zoneStart(nextDay(filter.to)));
    }
    return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }
}
