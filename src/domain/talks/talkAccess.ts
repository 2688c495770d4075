import type { DataSource } from 'typeorm';
import { NotAllowedError, UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import { leadsAnyOf } from '../../roster/leadership';
import type { Person } from '../../roster/types';
import type { AuditLog } from '../audit';
import type { TalkCorrections } from './talkCorrections';
import type { TalkRecord, TalkRecords } from './talkRecords';

export const CONFIDENTIAL = '谈心谈话内容保密，只有谈话人、谈话对象的上级领导和党群工作部可以查看。';

/**
 * Who may read a talk's content: the talker, the talkees' leaders up the unit chain, and
 * 党群工作部. Every read and every refusal is written to the audit log.
 */
export class TalkAccess {
  constructor(
    private readonly db: DataSource,
    private readonly roster: RosterRepository,
    private readonly talks: TalkRecords,
    private readonly audit: AuditLog,
    private readonly corrections: TalkCorrections,
  ) {}

  /** 查看谈话 TH2026-00001: the record as text, or a refusal. */
  async read(number: string, reader: Person, channel: string): Promise<string> {
    const talk = await this.talks.byNumber(number);
    if (!talk) throw new UserFacingError(`没有找到编号为 ${number.toUpperCase()} 的谈话记录。`);
    const subject = `talk:${talk.id}`;
    if (!(await this.mayRead(reader, talk))) {
      await this.audit.append(this.db, { actorId: reader.id, channel, action: 'talk.read.refused', subject, detail: { number: talk.number } });
      throw new NotAllowedError(`您无权查看 ${talk.number} 的内容。${CONFIDENTIAL}`);
    }
    await this.audit.append(this.db, { actorId: reader.id, channel, action: 'talk.read', subject, detail: { number: talk.number } });
    return this.render(talk);
  }

  async mayRead(reader: Person, talk: TalkRecord): Promise<boolean> {
    if (reader.id === talk.talkerId) return true;
    if (await this.roster.holdsAnyRole(reader.id, 'partyAffairsAdmin')) return true;
    const talkees = (await Promise.all(talk.talkeeIds.map((id) => this.roster.person(id)))).filter((p): p is Person => p !== undefined);
    return leadsAnyOf(this.roster, reader.id, talkees);
  }

  private async render(talk: TalkRecord): Promise<string> {
    const talker = await this.roster.person(talk.talkerId);
    const talkees = await Promise.all(talk.talkeeIds.map((id) => this.roster.person(id)));
    const corrections = (await this.corrections.of(talk.id)).map((c) =>
      c.inPlace ? `${c.at.slice(0, 10)} 修改了“${c.field}”，原为：${c.oldValue ?? '（无）'}` : `${c.at.slice(0, 10)} 更正“${c.field}”：${c.newValue}`,
    );
    return [
      `【谈话记录 ${talk.number}】（保密）${talk.withdrawnAt ? `（已于 ${talk.withdrawnAt.slice(0, 10)} 由谈话人撤回，不计入谈话进度）` : ''}`,
      `谈话人：${talker?.name ?? ''}`,
      `谈话对象：${talkees.map((p) => p?.name ?? '').join('、')}`,
      `日期：${talk.talkedOn}`,
      `地点：${talk.place}`,
      `类型：${talk.kind}`,
      `主题：${talk.topics.join('、')}`,
      `内容摘要：${talk.summary}`,
      `反映的问题或诉求：${talk.issuesRaised ?? '（无）'}`,
      `需跟进的事项：${talk.followUps ?? '（无）'}`,
      ...(corrections.length > 0 ? ['更正与修改记录：', ...corrections] : []),
    ].join('\n');
  }
}
