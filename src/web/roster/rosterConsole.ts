import { loadExcel } from '../../rareModules';
import type { DataSource } from 'typeorm';
import type { Directory, DirectoryChannel } from '../../channels/shared/rosterLink';
import { syncRoster } from '../../channels/shared/rosterLink';
import type { Clock } from '../../clock';
import type { AuditLog } from '../../domain/audit';
import { UserFacingError } from '../../errors';
import { importRoster, readRosterBytes, type ImportReport } from '../../roster/importRoster';
import { PERSON_COLUMNS, UNIT_COLUMNS } from '../../roster/rosterFile';
import type { RosterRepository } from '../../roster/rosterRepository';
import { ROLES, type Person } from '../../roster/types';
import type { StateStore } from '../../state/stateStore';
import type { RosterPreview, RosterView, SyncPreview } from '../api/contract';
import { randomToken } from '../sessions';

/** A messenger directory the roster can be linked to: what `npm run org:sync-*` reads. */
export interface DirectorySource {
  target: DirectoryChannel;
  read(): Promise<Directory>;
}

const PREVIEW_TTL_MS = 30 * 60 * 1000;
const EXPIRED = '预览已过期或已应用，请重新上传文件。';

interface Held {
  personId: number;
  fileName?: string;
  bytes?: string;
  channel?: DirectoryChannel['channel'];
  directory?: Directory;
}

/**
 * The roster in the console: shown, exported in the import template, replaced from an Excel file
 * or linked to a messenger directory — each change previewed first, by the same importer and sync
 * the commands use run without writing, and applied only on a second, explicit request.
 */
export class RosterConsole {
  constructor(
    private readonly deps: { db: DataSource; roster: RosterRepository; state: StateStore; clock: Clock; audit: AuditLog; directories: DirectorySource[] },
  ) {}

  async view(): Promise<Pick<RosterView, 'units' | 'people'>> {
    const { units, people, roles, unitCode } = await this.load();
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    return {
      units: units.map((u) => ({ code: u.code, name: u.name, kind: u.kind, parentCode: u.parentId === null ? null : unitCode(u.parentId) })),
      people: people.map((p) => ({
        code: p.code, name: p.name, unit: unitName.get(p.unitId) ?? '', unitCode: unitCode(p.unitId), post: p.post, nature: p.nature,
        roles: roles(p), wecom: p.wecomUserId !== null, dingtalk: p.dingtalkUserId !== null, joinedOn: p.joinedOn, leftOn: p.leftOn,
      })),
    };
  }

  /** The whole roster, people who left included, laid out as the import expects it: exported, edited, imported back. */
  async exportWorkbook(actor: Person): Promise<Buffer> {
    const { units, people, roles, unitCode } = await this.load();
    const book = new (await loadExcel()).Workbook();
    const unitSheet = book.addWorksheet('units');
    unitSheet.addRow(Object.values(UNIT_COLUMNS));
    for (const u of units) unitSheet.addRow([u.code, u.name, u.kind, u.parentId === null ? '' : unitCode(u.parentId)]);
    const peopleSheet = book.addWorksheet('people');
    peopleSheet.addRow(Object.values(PERSON_COLUMNS));
    for (const p of people) {
      peopleSheet.addRow([
        p.code, p.name, unitCode(p.unitId), p.post, p.nature, p.cityManaged ? '是' : '否', p.wecomUserId ?? '', p.dingtalkUserId ?? '',
        p.joinedOn ?? '', p.leftOn ?? '', roles(p).join('；'),
      ]);
    }
    for (const sheet of [unitSheet, peopleSheet]) sheet.columns.forEach((c) => (c.width = 14));
    await this.deps.audit.append(this.deps.db, { actorId: actor.id, channel: 'web', action: 'roster.exported', subject: 'roster', detail: { people: people.length, units: units.length } });
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  /** What importing the file would change; throws RosterImportError (every bad row) when it cannot be imported. */
  async previewImport(bytes: Buffer, fileName: string, actor: Person): Promise<RosterPreview> {
    const file = await readRosterBytes(bytes, fileName);
    const report = await importRoster(this.deps.db, file, this.deps.clock, { dryRun: true });
    const inFile = new Set(file.people.map((p) => p.code));
    const notInFile = (await this.deps.roster.activePeople()).filter((p) => !inFile.has(p.code)).length;
    const token = await this.hold({ personId: actor.id, fileName, bytes: bytes.toString('base64') });
    return { token, fileName, ...shaped(report), notInFile };
  }

  async applyImport(token: string, actor: Person): Promise<RosterPreview> {
    const held = await this.release(token, actor);
    if (!held.bytes || !held.fileName) throw new UserFacingError(EXPIRED, 409);
    const file = await readRosterBytes(Buffer.from(held.bytes, 'base64'), held.fileName);
    const report = await importRoster(this.deps.db, file, this.deps.clock);
    const result = shaped(report);
    await this.deps.audit.append(this.deps.db, {
      actorId: actor.id,
      channel: 'web',
      action: 'roster.imported',
      subject: 'roster',
      detail: {
        file: held.fileName,
        units: { added: result.units.added.length, updated: result.units.updated.length },
        people: { added: result.people.added.length, updated: result.people.updated.length, leaving: result.people.leaving.length },
        roles: { added: result.roles.added.length, removed: result.roles.removed.length },
      },
    });
    return { token, fileName: held.fileName, ...result, notInFile: 0 };
  }

  /** Reads the messenger's directory now and says whom it would link; the same directory is what apply links. */
  async previewSync(channel: string, actor: Person): Promise<SyncPreview> {
    const source = this.source(channel);
    const directory = await source.read();
    const report = await syncRoster(this.deps.db, directory, this.deps.clock, source.target, { dryRun: true });
    const token = await this.hold({ personId: actor.id, channel: source.target.channel, directory });
    return { token, channel: source.target.channel, report };
  }

  async applySync(channel: string, token: string, actor: Person): Promise<SyncPreview> {
    const source = this.source(channel);
    const held = await this.release(token, actor);
    if (held.channel !== source.target.channel || !held.directory) throw new UserFacingError(EXPIRED, 409);
    const report = await syncRoster(this.deps.db, held.directory, this.deps.clock, source.target);
    await this.deps.audit.append(this.deps.db, {
      actorId: actor.id, channel: 'web', action: 'roster.synced', subject: `roster:${source.target.channel}`, detail: { linked: report.linked.length, unmatched: report.unmatched.length },
    });
    return { token, channel: source.target.channel, report };
  }

  private source(channel: string): DirectorySource {
    const source = this.deps.directories.find((d) => d.target.channel === channel);
    if (!source) throw new UserFacingError(channel === 'wecom' ? '尚未配置企业微信，无法同步。' : channel === 'dingtalk' ? '尚未配置钉钉，无法同步。' : '没有这种通讯录。', 404);
    return source;
  }

  private async hold(held: Held): Promise<string> {
    const token = randomToken(24);
    await this.deps.state.set(`web:roster-preview:${token}`, JSON.stringify(held), PREVIEW_TTL_MS);
    return token;
  }

  /** The previewed file or directory, once, and only to whoever previewed it. */
  private async release(token: string, actor: Person): Promise<Held> {
    const key = `web:roster-preview:${token}`;
    const raw = /^[\w-]{16,64}$/.test(token) ? await this.deps.state.get(key) : undefined;
    const held = raw ? (JSON.parse(raw) as Held) : undefined;
    if (!raw || !held || held.personId !== actor.id) throw new UserFacingError(EXPIRED, 409);
    await this.deps.state.delete(key);
    return held;
  }

  private async load() {
    const units = await this.deps.roster.units();
    const people = await this.deps.roster.allPeople();
    const assignments = new Map<number, string[]>();
    const codes = new Map(units.map((u) => [u.id, u.code]));
    const unitCode = (id: number) => codes.get(id) ?? '';
    const rows: { person_id: number; role: keyof typeof ROLES; unit_id: number }[] = await this.deps.db.query('SELECT person_id, role, unit_id FROM role_assignments ORDER BY id');
    for (const r of rows) assignments.set(Number(r.person_id), [...(assignments.get(Number(r.person_id)) ?? []), `${ROLES[r.role]}@${unitCode(Number(r.unit_id))}`]);
    return { units, people, roles: (p: Person) => assignments.get(p.id) ?? [], unitCode };
  }
}

/** The import's report as the preview shows it: people given a 离开日期 are those leaving. */
function shaped(report: ImportReport): Omit<RosterPreview, 'token' | 'fileName' | 'notInFile'> {
  const leaving = report.people.updated.filter((p) => p.fields.includes(PERSON_COLUMNS.leftOn)).map(({ code, name }) => ({ code, name }));
  return { units: report.units, people: { ...report.people, leaving }, roles: report.roles };
}
