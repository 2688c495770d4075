import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import { execute, insert, select, type Executor } from '../../storage/sql';
import type { AuditLog, Refusals } from '../audit';

/** The settings 党群工作部 changes while the bot runs, by their stored names. */
export type ZoneSettingKey = 'integratedMatters';

export interface StoredSetting {
  value: string;
  updatedBy: number;
  updatedAt: string;
}

/** Where zone settings are kept: one value per key, written whole. */
export interface ZoneSettingsRepository {
  read(key: ZoneSettingKey): Promise<StoredSetting | undefined>;
  write(ex: Executor, key: ZoneSettingKey, setting: StoredSetting): Promise<void>;
}

export class SqlZoneSettingsRepository implements ZoneSettingsRepository {
  constructor(private readonly db: Executor) {}

  async read(key: ZoneSettingKey): Promise<StoredSetting | undefined> {
    const [row] = await select<{ value: string; updated_by: number; updated_at: string }>(this.db, 'SELECT value, updated_by, updated_at FROM zone_settings WHERE setting = ?', [key]);
    return row && { value: row.value, updatedBy: Number(row.updated_by), updatedAt: row.updated_at };
  }

  async write(ex: Executor, key: ZoneSettingKey, setting: StoredSetting): Promise<void> {
    const changed = await execute(ex, 'UPDATE zone_settings SET value = ?, updated_by = ?, updated_at = ? WHERE setting = ?', [setting.value, setting.updatedBy, setting.updatedAt, key]);
    if (changed === 0) await insert(ex, 'zone_settings', { setting: key, value: setting.value, updated_by: setting.updatedBy, updated_at: setting.updatedAt });
  }
}

/**
 * The policy names “八个一体化” matters (《容错细则》第六条（一）4、（二）3) without listing them, so the
 * list is the zone's own. Until 党群工作部 sets it there is none: an invented list would read as the
 * zone's, and a cadre would answer by it.
 */

export const INTEGRATED_LIMITS = { most: 20, shortest: 2, longest: 40 };

/** The 八个一体化 list as it applies now: set by 党群工作部, or not set yet (empty). */
export interface IntegratedMatters {
  matters: string[];
  isDefault: boolean;
  updatedBy: number | null;
  updatedAt: string | null;
}

/** Splits a typed list: one matter a line, or separated by 、，；. */
export function parseMatterList(text: string): string[] {
  return text
    .split(/[\n、,，;；]+/)
    .map((m) => m.trim().replace(/^\d{1,2}[.．、)）]\s*/, ''))
    .filter((m) => m.length > 0);
}

/** What is wrong with a list to set, or undefined. */
export function matterListProblem(matters: string[]): string | undefined {
  const { most, shortest, longest } = INTEGRATED_LIMITS;
  if (matters.length === 0) return '清单不能为空，请至少列出一项。';
  if (matters.length > most) return `清单有 ${matters.length} 项，最多 ${most} 项。`;
  const bad = matters.find((m) => [...m].length < shortest || [...m].length > longest);
  if (bad) return `“${bad}”的长度应在 ${shortest} 到 ${longest} 字之间。`;
  const twice = matters.find((m, i) => matters.indexOf(m) !== i);
  if (twice) return `“${twice}”列了两次。`;
  return undefined;
}

/**
 * The zone's settings as use cases, for chat and for the console alike: read by anyone, changed
 * by 党群工作部 only, validated, and audited with the value before.
 */
export class ZoneSettings {
  constructor(
    private readonly deps: { db: DataSource; repository: ZoneSettingsRepository; roster: RosterRepository; audit: AuditLog; refusals: Refusals; clock: Clock },
  ) {}

  async integratedMatters(): Promise<IntegratedMatters> {
    const stored = await this.deps.repository.read('integratedMatters');
    if (!stored) return { matters: [], isDefault: true, updatedBy: null, updatedAt: null };
    return { matters: JSON.parse(stored.value) as string[], isDefault: false, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt };
  }

  async setIntegratedMatters(actor: Person, matters: string[], channel: string): Promise<IntegratedMatters> {
    if (!(await this.deps.roster.holdsAnyRole(actor.id, 'partyAffairsAdmin'))) {
      throw await this.deps.refusals.refuse(
        { actorId: actor.id, channel, action: 'setting.refused', subject: 'setting:integratedMatters', detail: { matters } },
        '“八个一体化”事项清单由党群工作部设置。',
      );
    }
    const cleaned = matters.map((m) => m.trim());
    const problem = matterListProblem(cleaned);
    if (problem) throw new UserFacingError(`没有修改：${problem}`);
    const before = await this.integratedMatters();
    const at = this.deps.clock.now().toISOString();
    await this.deps.db.transaction(async (tx) => {
      await this.deps.repository.write(tx, 'integratedMatters', { value: JSON.stringify(cleaned), updatedBy: actor.id, updatedAt: at });
      await this.deps.audit.append(tx, {
        actorId: actor.id,
        channel,
        action: 'setting.changed',
        subject: 'setting:integratedMatters',
        detail: { before: before.isDefault ? null : before.matters, after: cleaned },
      });
    });
    return { matters: cleaned, isDefault: false, updatedBy: actor.id, updatedAt: at };
  }
}

/** The list as the question, 帮助 and the setting's own page say it. */
export function describeIntegratedMatters(list: IntegratedMatters): string {
  if (list.isDefault) return '“八个一体化”事项清单（本区设置）尚未由党群工作部设置；拿不准所办事项是否属于，请先咨询党群工作部。';
  const source = `本区设置，${list.updatedAt!.slice(0, 10)} 更新`;
  return `“八个一体化”事项（${source}）：${list.matters.join('、')}`;
}
