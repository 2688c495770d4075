import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { NotAllowedError, UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { AuditLog } from '../audit';
import type { Notifier } from '../notifier';
import type { CaseRepository } from '../workflow/caseRepository';
import type { CaseRecord } from '../workflow/types';
import type { RouteStep, Workflow } from '../workflow/workflow';
import type { AccountabilityMatters } from './matters';
import { item, REVOCATION_REASONS } from './policy';

export interface ToleranceApplication {
  draftKey: string;
  applicant: Person;
  matterId: number | null;
  matterText: string;
  reason: string;
  situations: number[];
  otherSituation: string | null;
  integrated: boolean;
  /** A 改革创新风险备案 the request cites, so that the investigator sees it. */
  filingId: number | null;
  attachments: unknown[];
  channel: string;
}

/** 容错免责 use cases: apply (第五、六条), revoke (第十条). */
export class ToleranceService {
  constructor(
    private readonly deps: {
      db: DataSource;
      workflow: Workflow;
      cases: CaseRepository;
      matters: AccountabilityMatters;
      roster: RosterRepository;
      notifier: Notifier;
      audit: AuditLog;
      clock: Clock;
    },
  ) {}

  async apply(a: ToleranceApplication): Promise<{ record: CaseRecord; route: RouteStep[] }> {
    if (a.applicant.cityManaged) {
      const refusal = { actorId: a.applicant.id, channel: a.channel, action: 'case.apply.refused', subject: `person:${a.applicant.code}`, detail: { reason: '市管干部' } };
      await this.deps.audit.append(this.deps.db, refusal);
      throw new UserFacingError('依据《容错细则》第二条，涉及市管干部的容错事项不适用本细则，请联系属地纪（工）委。');
    }
    const unit = await this.deps.roster.unit(a.applicant.unitId);
    const record = await this.deps.workflow.submit('tolerance', {
      applicant: a.applicant,
      draftKey: a.draftKey,
      unitId: a.applicant.unitId,
      matterId: a.matterId,
      integrated: a.integrated,
      channel: a.channel,
      form: {
        applicantName: a.applicant.name,
        unitName: unit?.name ?? '',
        post: a.applicant.post,
        nature: a.applicant.nature,
        appliedAt: this.deps.clock.now().toISOString(),
        matter: a.matterText,
        reason: a.reason,
        situations: a.situations,
        otherSituation: a.otherSituation,
        filingId: a.filingId,
        attachments: a.attachments,
      },
    });
    return { record, route: await this.deps.workflow.route(record) };
  }

  /** 第十条: a 纪工委 member of the case's territory revokes a granted exemption; the record keeps both. */
  async revoke(number: string, actor: Person, reason: number, description: string, channel: string): Promise<string> {
    const c = await this.deps.cases.byNumber(number);
    if (!c || c.kind !== 'tolerance') throw new UserFacingError(`没有找到编号为 ${number} 的容错免责申请。`);
    if (!(await this.isDisciplineMemberFor(actor, c.unitId))) {
      await this.deps.audit.append(this.deps.db, { actorId: actor.id, channel, action: 'revoke.refused', subject: `case:${c.id}` });
      throw new NotAllowedError('只有属地纪（工）委的同志可以撤销容错免责认定。');
    }
    const now = this.deps.clock.now().toISOString();
    return this.deps.db.transaction(async (tx) => {
      const revocation = { reason: `第十条${item(reason)}${REVOCATION_REASONS[reason]}`, description, by: actor.id, at: now };
      if (!(await this.deps.cases.transition(tx, c.id, ['granted'], 'revoked', now, { revocation: JSON.stringify(revocation) }))) {
        throw new UserFacingError(`${c.number} 不是已予容错免责的状态，无法撤销。`);
      }
      if (c.matterId) await this.deps.matters.setStatus(tx, c.matterId, 'open');
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'case.revoked', subject: `case:${c.id}`, detail: revocation });
      await this.deps.notifier.notify(tx, c.applicantId, {
        kind: 'text',
        text: `您的容错免责申请 ${c.number} 已被撤销认定，依据《容错细则》${revocation.reason}，将重新启动问责程序。说明：${description}`,
      });
      return `已撤销 ${c.number} 的容错免责认定，并重新启动问责。`;
    });
  }

  private async isDisciplineMemberFor(person: Person, unitId: number): Promise<boolean> {
    const chain = new Set((await this.deps.roster.unitChain(unitId)).map((u) => u.id));
    return (await this.deps.roster.rolesOf(person.id)).some((r) => r.role === 'disciplineMember' && chain.has(r.unitId));
  }
}
