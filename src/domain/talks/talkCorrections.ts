import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { UserFacingError } from '../../errors';
import type { Person } from '../../roster/types';
import { selectOpened } from '../../storage/confidential';
import { insert, update } from '../../storage/sql';
import type { AuditLog } from '../audit';
import type { TalkRecord, TalkRecords } from './talkRecords';

/** The parts of a talk record its talker may correct, by their label in the dialogue. */
export const CORRECTABLE = {
  谈话地点: 'place',
  谈话内容摘要: 'summary',
  反映的问题或诉求: 'issues_raised',
  需跟进的事项: 'follow_ups',
} as const;
export type CorrectableLabel = keyof typeof CORRECTABLE;
/** Those labels in order, as the dialogue offers them. */
export const CORRECTABLE_LABELS = Object.keys(CORRECTABLE) as CorrectableLabel[];

export interface Correction {
  field: CorrectableLabel;
  oldValue: string | null;
  newValue: string;
  at: string;
  inPlace: boolean;
}

/**
 * Changes to a talk record by its talker. Within the grace period a change replaces the text and
 * a record may be withdrawn; afterwards a correction is appended and the original stays as it was.
 * Either way the change and the old text are kept.
 */
export class TalkCorrections {
  constructor(
    private readonly db: DataSource,
    private readonly talks: TalkRecords,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly graceHours: number,
  ) {}

  /** The talker's own, live record by its number: what correcting and withdrawing start from. Anyone else is refused, and audited. */
  async own(number: string, talker: Person, channel = ''): Promise<TalkRecord & { withinGrace: boolean }> {
    const talk = await this.talks.byNumber(number);
    if (!talk || talk.withdrawnAt) throw new UserFacingError(`没有找到编号为 ${number.toUpperCase()} 的谈话记录。`);
    if (talk.talkerId !== talker.id) {
      const refusal = { actorId: talker.id, channel, action: 'talk.edit.refused' as const, subject: `talk:${talk.id}`, detail: { number: talk.number } };
      throw await this.audit.refusal(this.db, refusal, '只有谈话人本人可以更正或撤回谈话记录。');
    }
    return { ...talk, withinGrace: this.clock.now().getTime() - Date.parse(talk.createdAt) < this.graceHours * 3600_000 };
  }

  async correct(number: string, talker: Person, field: CorrectableLabel, newValue: string, channel: string): Promise<string> {
    const talk = await this.own(number, talker, channel);
    const column = CORRECTABLE[field];
    const [row] = await selectOpened<Record<string, string | null>>(this.db, 'talks', `SELECT ${column} FROM talks WHERE id = ?`, [talk.id]);
    const at = this.clock.now().toISOString();
    await this.db.transaction(async (tx) => {
      if (talk.withinGrace) await update(tx, 'talks', { [column]: newValue }, 'id = ?', [talk.id]);
      await insert(tx, 'talk_corrections', {
        talk_id: talk.id, by_id: talker.id, at, field, old_value: row[column], new_value: newValue, in_place: talk.withinGrace ? 1 : 0,
      });
      await this.audit.append(tx, { actorId: talker.id, channel, action: talk.withinGrace ? 'talk.edited' : 'talk.corrected', subject: `talk:${talk.id}`, detail: { field } });
    });
    return talk.withinGrace
      ? `已修改 ${talk.number} 的“${field}”。`
      : `${talk.number} 已超过 ${this.graceHours} 小时修改期，原记录保持不变，更正已附在记录之后。`;
  }

  async withdraw(number: string, talker: Person, channel: string): Promise<string> {
    const talk = await this.own(number, talker, channel);
    if (!talk.withinGrace) {
      throw new UserFacingError(`${talk.number} 已超过 ${this.graceHours} 小时，不能撤回；如有错误请发送“更正谈话 ${talk.number}”附上更正。`);
    }
    await this.db.transaction(async (tx) => {
      await update(tx, 'talks', { withdrawn_at: this.clock.now().toISOString() }, 'id = ? AND withdrawn_at IS NULL', [talk.id]);
      await this.audit.append(tx, { actorId: talker.id, channel, action: 'talk.withdrawn', subject: `talk:${talk.id}` });
    });
    return `已撤回谈话记录 ${talk.number}，它不再计入谈话进度。`;
  }

  async of(talkId: number): Promise<Correction[]> {
    const rows = await selectOpened<{ field: CorrectableLabel; old_value: string | null; new_value: string; at: string; in_place: number }>(
      this.db,
      'talk_corrections',
      'SELECT field, old_value, new_value, at, in_place FROM talk_corrections WHERE talk_id = ? ORDER BY id',
      [talkId],
    );
    return rows.map((r) => ({ field: r.field, oldValue: r.old_value, newValue: r.new_value, at: r.at, inPlace: Number(r.in_place) === 1 }));
  }
}
