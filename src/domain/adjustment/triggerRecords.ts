import type { EntityManager } from 'typeorm';
import { insert, select, update, type Executor } from '../../storage/sql';
import { scheduleJob } from '../../scheduling/scheduler';
import { LedgerIndex, loadLedger } from '../assessment/ledger';
import { ZoneView, type ZonePerson } from '../assessment/zoneView';
import { ARTICLES, causeLabel, type Way } from './policy';
import { findTriggers, type Finding } from './triggers';

export type TriggerStatus = 'open' | 'case_opened' | 'dismissed' | 'lapsed';

export interface TriggerRecord extends Finding {
  id: number;
  status: TriggerStatus;
  caseId: number | null;
  handledBy: number | null;
  handledNote: string | null;
  notifiedAt: string | null;
}

export interface TriggerRefresh {
  /** The findings new to this import, as one line each. */
  found: string[];
  /** Open findings the corrected data no longer bear out. */
  lapsed: number;
}

/** The one-off job that sends 组织人事部门 a card for each trigger not yet sent. */
export const TRIGGER_CARDS = 'adjustment-trigger-cards';

interface TriggerRow {
  id: number;
  year: number;
  item: number;
  subject_key: string;
  person_id: number | null;
  unit_id: number | null;
  facts: string;
  status: TriggerStatus;
  case_id: number | null;
  handled_by: number | null;
  handled_note: string | null;
  notified_at: string | null;
}

const nullable = (v: number | null) => (v === null ? null : Number(v));
export const toTrigger = (r: TriggerRow): TriggerRecord => ({
  id: Number(r.id),
  year: Number(r.year),
  item: Number(r.item),
  subjectKey: r.subject_key,
  personId: nullable(r.person_id),
  unitId: nullable(r.unit_id),
  facts: r.facts,
  status: r.status,
  caseId: nullable(r.case_id),
  handledBy: nullable(r.handled_by),
  handledNote: r.handled_note,
  notifiedAt: r.notified_at,
});

/**
 * What the article says is to be done: 建议上级调整, 予以调整 or the item's own measure. Who
 * decides follows 干部管理权限; a 市管干部 is managed above the zone, so the zone proposes.
 */
export function handlingOf(item: number, person?: Pick<ZonePerson, 'cityManaged'>): string {
  switch (item) {
    case 1:
    case 2:
      return '建议上级调整';
    case 3:
    case 4:
      return person?.cityManaged ? '建议上级调整（市管干部，按干部管理权限由上级调整）' : '建议上级调整或予以调整（按干部管理权限）';
    case 5:
      return '免去试任职务，一般按照试任前职级或者职务层次安排工作';
    case 6:
      return '解除聘任职务';
    case 7:
      return '解除聘任职务（具体任职管理和考核由各国资公司负责）';
    case 8:
      return '按照相关法律法规予以解聘';
    default:
      return '调整出村（社区）书记岗位';
  }
}

/** The way an item itself prescribes, offered first when a case is opened from its card. */
export const PRESCRIBED_WAY: Partial<Record<number, Way>> = { 5: '免去试任职务', 6: '解除聘任职务', 7: '解除聘任职务', 8: '解聘', 9: '调离岗位' };

/** “《能上能下办法》第八条（三）：在干部年度考核中…”, the data, and the handling: a trigger as its card tells it. */
export function describeTrigger(t: Pick<TriggerRecord, 'item' | 'facts'>, person?: Pick<ZonePerson, 'cityManaged'>): string[] {
  return [
    `依据：《能上能下办法》${causeLabel(8, t.item)}：${ARTICLES[8].items[t.item - 1]}。`,
    `数据：${t.facts}。`,
    `处理：${handlingOf(t.item, person)}。`,
  ];
}

/**
 * Recomputes the 第八条 findings of these years (each with the year before it) in the caller's
 * transaction: new ones are recorded open and a card job is scheduled for them; open ones the
 * data no longer show become lapsed; acted-on ones are left alone.
 */
export async function refreshTriggers(m: EntityManager, years: number[], now: string): Promise<TriggerRefresh> {
  const result: TriggerRefresh = { found: [], lapsed: 0 };
  const zone = await ZoneView.load(m);
  for (const year of years) {
    const ledger = new LedgerIndex(await loadLedger(m, year - 1, year));
    const findings = ledger.peopleOf(year).length + ledger.unitsOf(year).length > 0 ? findTriggers(year, ledger, zone) : [];
    const existing = new Map((await select<TriggerRow>(m, 'SELECT * FROM adjustment_triggers WHERE year = ?', [year])).map((r) => [`${r.item}|${r.subject_key}`, toTrigger(r)]));
    const fresh: Record<string, unknown>[] = [];
    const seen = new Set<string>();
    for (const f of findings) {
      const key = `${f.item}|${f.subjectKey}`;
      seen.add(key);
      const before = existing.get(key);
      if (before && before.status !== 'lapsed') {
        if (before.status === 'open' && before.facts !== f.facts) await update(m, 'adjustment_triggers', { facts: f.facts, updated_at: now }, 'id = ?', [before.id]);
        continue;
      }
      result.found.push(line(f, zone));
      if (before) await update(m, 'adjustment_triggers', { status: 'open', facts: f.facts, notified_at: null, updated_at: now }, 'id = ?', [before.id]);
      else fresh.push({ year, item: f.item, subject_key: f.subjectKey, person_id: f.personId, unit_id: f.unitId, facts: f.facts, status: 'open', created_at: now, updated_at: now });
    }
    for (let i = 0; i < fresh.length; i += 300) await insert(m, 'adjustment_triggers', fresh.slice(i, i + 300));
    for (const [key, t] of existing) {
      if (seen.has(key) || t.status !== 'open') continue;
      await update(m, 'adjustment_triggers', { status: 'lapsed', updated_at: now }, 'id = ?', [t.id]);
      result.lapsed += 1;
    }
  }
  if (result.found.length > 0 || result.lapsed > 0) await scheduleJob(m, { kind: TRIGGER_CARDS, uniqueKey: `${TRIGGER_CARDS}:${now}`, runAt: new Date(now) });
  return result;
}

function line(f: Finding, zone: ZoneView): string {
  const who = f.personId !== null ? zone.people.get(f.personId)?.name : zone.unitName(f.unitId!);
  return `${causeLabel(8, f.item)} ${who ?? ''}：${f.facts}`;
}

/** The triggers as records: read for lists and cards, changed only by opening or dismissing. */
export class TriggerRecords {
  constructor(private readonly db: Executor) {}

  async get(id: number, ex: Executor = this.db): Promise<TriggerRecord | undefined> {
    const [row] = await select<TriggerRow>(ex, 'SELECT * FROM adjustment_triggers WHERE id = ?', [id]);
    return row && toTrigger(row);
  }

  /** A year's findings that still hold (open or acted on), by item. */
  async ofYear(year: number): Promise<TriggerRecord[]> {
    const rows = await select<TriggerRow>(this.db, `SELECT * FROM adjustment_triggers WHERE year = ? AND status <> 'lapsed' ORDER BY item, id`, [year]);
    return rows.map(toTrigger);
  }

  async ofPerson(personId: number): Promise<TriggerRecord[]> {
    const rows = await select<TriggerRow>(this.db, `SELECT * FROM adjustment_triggers WHERE person_id = ? AND status <> 'lapsed' ORDER BY year, item`, [personId]);
    return rows.map(toTrigger);
  }

  async open(): Promise<TriggerRecord[]> {
    return (await select<TriggerRow>(this.db, `SELECT * FROM adjustment_triggers WHERE status = 'open' ORDER BY year, item, id`)).map(toTrigger);
  }

  async unsent(ex: Executor): Promise<TriggerRecord[]> {
    return (await select<TriggerRow>(ex, `SELECT * FROM adjustment_triggers WHERE status = 'open' AND notified_at IS NULL ORDER BY year, item, id`)).map(toTrigger);
  }

  /** Moves an open trigger on; false when it was no longer open (a second click, a lapse). */
  async close(ex: Executor, id: number, fields: { status: 'case_opened' | 'dismissed'; caseId?: number; by: number; note?: string; now: string }): Promise<boolean> {
    const changed = await update(
      ex,
      'adjustment_triggers',
      { status: fields.status, case_id: fields.caseId ?? null, handled_by: fields.by, handled_note: fields.note ?? null, updated_at: fields.now },
      `id = ? AND status = 'open'`,
      [id],
    );
    return changed === 1;
  }
}
