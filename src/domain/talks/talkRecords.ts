import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { isDuplicateKey } from '../../storage/dataSource';
import { nextNumber, RegisterTurns } from '../numbering';
import { selectOpened } from '../../storage/confidential';
import { insert, select } from '../../storage/sql';

export const TALK_KINDS = ['年度谈心谈话', '被调整干部谈话', '约谈提醒', '其他'] as const;
export type TalkKind = (typeof TALK_KINDS)[number];

export interface NewTalk {
  draftKey: string;
  talkerId: number;
  talkeeIds: number[];
  talkedOn: string;
  kind: TalkKind;
  place: string;
  topics: string[];
  summary: string;
  issuesRaised: string | null;
  followUps: string | null;
  channel: string;
}

export interface TalkRecord extends Omit<NewTalk, 'draftKey'> {
  id: number;
  number: string;
  createdAt: string;
  /** Set when the talker withdrew the record within the grace period; it then counts for nothing. */
  withdrawnAt: string | null;
}

interface TalkRow {
  id: number;
  number: string;
  talker_id: number;
  talked_on: string;
  kind: TalkKind;
  place: string;
  topics: string;
  summary: string;
  issues_raised: string | null;
  follow_ups: string | null;
  channel: string;
  created_at: string;
  withdrawn_at: string | null;
}

/** 谈心谈话 records (激励办法 第十一条（四）). Their content is confidential: see who may read it. */
export class TalkRecords {
  constructor(
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  private readonly turns = new RegisterTurns();

  /**
   * Saves a talk once per draft: a second submit of the same draft returns the first record. The
   * TH number of the talk's year is taken in the same transaction, so a submit that fails (or
   * repeats a draft) gives it back.
   */
  async record(talk: NewTalk): Promise<TalkRecord> {
    const existing = await this.byDraft(talk.draftKey);
    if (existing) return existing;
    try {
      await this.turns.run('TH', () => this.db.transaction(async (m) => {
        await insert(m, 'talks', {
          number: await nextNumber(m, 'TH', talk.talkedOn.slice(0, 4)),
          draft_key: talk.draftKey,
          talker_id: talk.talkerId,
          talked_on: talk.talkedOn,
          kind: talk.kind,
          place: talk.place,
          topics: talk.topics.join('、'),
          summary: talk.summary,
          issues_raised: talk.issuesRaised,
          follow_ups: talk.followUps,
          channel: talk.channel,
          created_at: this.clock.now().toISOString(),
        });
        const [row] = await select<{ id: number }>(m, 'SELECT id FROM talks WHERE draft_key = ?', [talk.draftKey]);
        await insert(m, 'talk_participants', talk.talkeeIds.map((personId) => ({ talk_id: row.id, person_id: personId })));
      }));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return (await this.byDraft(talk.draftKey))!;
  }

  async get(id: number): Promise<TalkRecord | undefined> {
    const [row] = await selectOpened<TalkRow>(this.db, 'talks', 'SELECT * FROM talks WHERE id = ?', [id]);
    return row && this.toRecord(row);
  }

  /** By its number (TH2026-00012), as the person typed it. */
  async byNumber(number: string): Promise<TalkRecord | undefined> {
    const [row] = await selectOpened<TalkRow>(this.db, 'talks', 'SELECT * FROM talks WHERE number = ?', [number.trim().toUpperCase()]);
    return row && this.toRecord(row);
  }

  async byDraft(draftKey: string): Promise<TalkRecord | undefined> {
    const [row] = await selectOpened<TalkRow>(this.db, 'talks', 'SELECT * FROM talks WHERE draft_key = ?', [draftKey]);
    return row && this.toRecord(row);
  }

  /** A year's records, newest first, in two queries whatever their number. */
  async ofYear(year: number): Promise<TalkRecord[]> {
    const rows = await selectOpened<TalkRow>(this.db, 'talks', 'SELECT * FROM talks WHERE talked_on >= ? AND talked_on <= ? ORDER BY talked_on DESC, id DESC', [`${year}-01-01`, `${year}-12-31`]);
    if (rows.length === 0) return [];
    const participants = await select<{ talk_id: number; person_id: number }>(
      this.db,
      `SELECT p.talk_id, p.person_id FROM talk_participants p JOIN talks t ON t.id = p.talk_id
       WHERE t.talked_on >= ? AND t.talked_on <= ? ORDER BY p.person_id`,
      [`${year}-01-01`, `${year}-12-31`],
    );
    const talkees = new Map<number, number[]>();
    for (const p of participants) talkees.set(Number(p.talk_id), [...(talkees.get(Number(p.talk_id)) ?? []), Number(p.person_id)]);
    return rows.map((row) => this.fromRow(row, talkees.get(Number(row.id)) ?? []));
  }

  private async toRecord(row: TalkRow): Promise<TalkRecord> {
    const participants = await select<{ person_id: number }>(this.db, 'SELECT person_id FROM talk_participants WHERE talk_id = ? ORDER BY person_id', [row.id]);
    return this.fromRow(row, participants.map((p) => Number(p.person_id)));
  }

  private fromRow(row: TalkRow, talkeeIds: number[]): TalkRecord {
    return {
      id: Number(row.id),
      number: row.number,
      talkerId: Number(row.talker_id),
      talkeeIds,
      talkedOn: row.talked_on,
      kind: row.kind,
      place: row.place,
      topics: row.topics.split('、'),
      summary: row.summary,
      issuesRaised: row.issues_raised,
      followUps: row.follow_ups,
      channel: row.channel,
      createdAt: row.created_at,
      withdrawnAt: row.withdrawn_at ?? null,
    };
  }
}
