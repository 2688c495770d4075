import { UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { Refusals } from '../audit';
import type { CaseRepository } from '../workflow/caseRepository';
import { verdictOf } from '../workflow/chain';
import { conclusionText } from '../workflow/describe';
import type { ReplyRecord } from '../workflow/record';
import type { CaseRecord } from '../workflow/types';
import { toleranceWorkflow } from './definition';

/** One exemption a cadre was granted, and whether it still stands. */
export interface Exemption {
  case: CaseRecord;
  reply: ReplyRecord | undefined;
  /** 予以容错免责，作《容错细则》第七条（一）（三）处理. */
  outcome: string;
  /** Revoked under 第十条 since. */
  revoked: boolean;
}

/**
 * 《容错细则》第十一条: 组织人事部门 are to judge cadres given 容错 fairly in 考核考察 and 选拔任用,
 * so they (and the 纪工委 and 党群工作部) can look up who was exempted, on the person.
 */
export class ExemptionRegister {
  constructor(
    private readonly cases: CaseRepository,
    private readonly roster: RosterRepository,
    private readonly refusals: Refusals,
  ) {}

  /** The exemptions granted to this person (revoked ones included, marked), oldest first. */
  async of(personId: number): Promise<Exemption[]> {
    return this.exemptionsAmong(await this.cases.byApplicant(personId));
  }

  /** Every exemption granted in the zone (revoked ones included, marked), oldest first: what 组织人事部门 execute. */
  async all(): Promise<Exemption[]> {
    return this.exemptionsAmong(await this.cases.list({ kind: 'tolerance' }));
  }

  private async exemptionsAmong(cases: CaseRecord[]): Promise<Exemption[]> {
    const found: Exemption[] = [];
    for (const c of cases) {
      const granted = c.status === 'granted' || (c.status === 'revoked' && c.revocation?.previousStatus === 'granted');
      if (c.kind !== 'tolerance' || !granted || !c.outcome || !verdictOf(toleranceWorkflow, c.outcome.verdict).grants) continue;
      found.push({ case: c, reply: await this.cases.reply(c.id), outcome: conclusionText(toleranceWorkflow, c.outcome), revoked: c.status === 'revoked' });
    }
    return found;
  }

  /** 容错记录 杨帆: what 组织人事部门 see of the people of that name; anyone may ask about themself. */
  async lookup(asker: Person, name: string, channel: string): Promise<string> {
    const wanted = name.trim();
    const mayLook = await this.roster.holdsAnyRole(asker.id, 'personnelOfficer', 'disciplineMember', 'partyAffairsAdmin');
    const people = wanted === '' || wanted === asker.name ? [asker] : await this.roster.peopleNamed(wanted);
    if (!mayLook && people.some((p) => p.id !== asker.id)) {
      throw await this.refusals.refuse(
        { actorId: asker.id, channel, action: 'exemption.lookup.refused', subject: 'exemptions', detail: { name: wanted } },
        '容错免责记录仅向组织人事部门、纪（工）委和党群工作部提供（《容错细则》第十一条）；发送“容错记录”可查看本人的记录。',
      );
    }
    if (people.length === 0) throw new UserFacingError(`名册中没有找到“${wanted}”。`);
    const blocks: string[] = [];
    for (const p of people) {
      const unit = await this.roster.unit(p.unitId);
      const head = `${p.name}（${unit?.name ?? ''} ${p.post}）`;
      const list = await this.of(p.id);
      if (list.length === 0) {
        blocks.push(`${head}：没有容错免责记录。`);
        continue;
      }
      const lines = list.map((e) => {
        const reply = e.reply ? `${e.reply.issuer === 'city' ? '市纪委监委答复' : e.reply.title} ${e.reply.number}，${e.reply.issuedOn}` : '';
        const state = e.revoked ? `已依《容错细则》${e.case.revocation?.reason ?? '第十条'}撤销` : '有效';
        return `· ${e.case.number}（${reply}）：${e.outcome}。状态：${state}`;
      });
      blocks.push([`${head}：`, ...lines].join('\n'));
    }
    return [...blocks, '依据《容错细则》第十一条：对给予容错的干部，考核考察要客观评价，选拔任用要公正合理。'].join('\n\n');
  }
}
