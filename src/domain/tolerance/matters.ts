import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import { insert, select, update, type Executor } from '../../storage/sql';
import type { AuditLog } from '../audit';
import type { Notifier } from '../notifier';
import { nextNumber } from '../numbering';

export interface AccountabilityMatter {
  id: number;
  number: string;
  subjectPersonId: number | null;
  subjectUnitId: number | null;
  summary: string;
  openedOn: string;
  openedBy: number;
  /** unfounded: closed because the accusation proved false (经查举报失实, 《容错细则》第九条). */
  status: 'open' | 'exempted' | 'closed' | 'unfounded';
}

/** How the register and the console name each status. */
export const MATTER_STATUS_WORDS: Record<AccountabilityMatter['status'], string> = {
  open: '问责办理中',
  exempted: '已予容错免责',
  closed: '已办结',
  unfounded: '经查举报失实',
};

interface Row {
  id: number; number: string; subject_person_id: number | null; subject_unit_id: number | null; summary: string;
  opened_on: string; opened_by: number; status: AccountabilityMatter['status'];
}

const toMatter = (r: Row): AccountabilityMatter => ({
  id: Number(r.id), number: r.number, subjectPersonId: r.subject_person_id === null ? null : Number(r.subject_person_id),
  subjectUnitId: r.subject_unit_id === null ? null : Number(r.subject_unit_id), summary: r.summary, openedOn: r.opened_on,
  openedBy: Number(r.opened_by), status: r.status,
});

/** 问责事项 (《容错细则》第六条（一）1 启动问责): what a 容错 request answers to. */
export class AccountabilityMatters {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly roster: RosterRepository,
    private readonly notifier: Notifier,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Records the matter once per draft and tells its subject (the person, or the party head of
   * the unit) that they may apply for 容错 under 第五条.
   */
  async open(
    m: { draftKey: string; subjectPersonId: number | null; subjectUnitId: number | null; summary: string; openedOn: string; openedBy: Person; channel: string },
  ): Promise<{ matter: AccountabilityMatter; told: Person | undefined }> {
    const told = m.subjectPersonId !== null
      ? await this.roster.person(m.subjectPersonId)
      : (await this.roster.nearestHolders('partySecretary', m.subjectUnitId!))?.people[0];
    const existing = await this.byDraft(m.draftKey);
    if (existing) return { matter: existing, told };
    const matter = await this.db.transaction(async (tx) => {
      const opened = await this.insert(tx, m);
      if (told) {
        await this.notifier.notify(tx, told.id, {
          kind: 'text',
          text:
            `${m.openedBy.name}登记了问责事项 ${opened.number}：${opened.summary}。` +
            '如认为符合《容错细则》第五条规定的情形，您可以发送“申请容错”提出容错免责申请。',
        });
      }
      return opened;
    });
    return { matter, told };
  }

  /**
   * Writes a matter (numbered in the WZ register) and its audit line in the caller's transaction:
   * for 启动问责, and for accountability restarted under 《容错细则》第十条 when the request named no matter.
   */
  async insert(
    tx: Executor,
    m: { draftKey: string; subjectPersonId: number | null; subjectUnitId: number | null; summary: string; openedOn: string; openedBy: Person; channel: string },
  ): Promise<AccountabilityMatter> {
    await insert(tx, 'accountability_matters', {
      number: `pending-${m.draftKey}`.slice(0, 20), subject_person_id: m.subjectPersonId, subject_unit_id: m.subjectUnitId,
      summary: m.summary, opened_on: m.openedOn, opened_by: m.openedBy.id, status: 'open', draft_key: m.draftKey,
      created_at: this.clock.now().toISOString(),
    });
    const [row] = await select<{ id: number }>(tx, 'SELECT id FROM accountability_matters WHERE draft_key = ?', [m.draftKey]);
    await update(tx, 'accountability_matters', { number: await nextNumber(tx, 'WZ', m.openedOn.slice(0, 4)) }, 'id = ?', [row.id]);
    const opened = (await this.get(Number(row.id), tx))!;
    await this.audit.append(tx, { actorId: m.openedBy.id, channel: m.channel, action: 'matter.opened', subject: `matter:${opened.id}`, detail: { number: opened.number } });
    return opened;
  }

  async get(id: number, ex: Executor = this.db): Promise<AccountabilityMatter | undefined> {
    const [row] = await select<Row>(ex, 'SELECT * FROM accountability_matters WHERE id = ?', [id]);
    return row && toMatter(row);
  }

  async byDraft(draftKey: string): Promise<AccountabilityMatter | undefined> {
    const [row] = await select<Row>(this.db, 'SELECT * FROM accountability_matters WHERE draft_key = ?', [draftKey]);
    return row && toMatter(row);
  }

  /** Open matters about this person or their unit: what they may apply for 容错 against. */
  async openFor(personId: number, unitId: number): Promise<AccountabilityMatter[]> {
    const rows = await select<Row>(
      this.db,
      `SELECT * FROM accountability_matters WHERE status = 'open' AND (subject_person_id = ? OR subject_unit_id = ?) ORDER BY id`,
      [personId, unitId],
    );
    return rows.map(toMatter);
  }

  /** Every matter about this person, newest first: what a 澄清正名 may come from. */
  async ofPerson(personId: number): Promise<AccountabilityMatter[]> {
    return (await select<Row>(this.db, 'SELECT * FROM accountability_matters WHERE subject_person_id = ? ORDER BY id DESC', [personId])).map(toMatter);
  }

  /**
   * The register as the 纪（工）委 keeps it, newest first: by status and by the year opened. Who may
   * see which (their territory) is the caller's to decide, on the subjects' units.
   */
  async list(filter: { status?: AccountabilityMatter['status']; year?: number } = {}): Promise<AccountabilityMatter[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.year) {
      where.push('opened_on LIKE ?');
      params.push(`${filter.year}-%`);
    }
    const sql = `SELECT * FROM accountability_matters${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC`;
    return (await select<Row>(this.db, sql, params)).map(toMatter);
  }

  async setStatus(ex: Executor, id: number, status: AccountabilityMatter['status']): Promise<void> {
    await update(ex, 'accountability_matters', { status }, 'id = ?', [id]);
  }
}
