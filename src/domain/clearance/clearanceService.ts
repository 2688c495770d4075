import type { Clock } from '../../clock';
import { UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { Refusals } from '../audit';
import type { Notifier } from '../notifier';
import type { AccountabilityMatter, AccountabilityMatters } from '../tolerance/matters';
import type { CaseRepository } from '../workflow/caseRepository';
import type { CaseRecord } from '../workflow/types';
import type { RouteStep, Workflow } from '../workflow/workflow';

export interface ClearanceOpening {
  draftKey: string;
  openedBy: Person;
  cadreId: number;
  /** The 问责事项 the accusation led to, found 失实; an open one is closed as unfounded. */
  matterId: number | null;
  accusation: string;
  conclusion: string;
  impact: string;
  channel: string;
}

/** What was done to clear the cadre, as the 纪（工）委 records it. */
export interface ClearanceDone {
  clearedOn: string;
  scope: string;
  manner: string;
  note: string;
}

/** 澄清正名 use cases (《容错细则》第九条): open one for a cadre, record it done. */
export class ClearanceService {
  constructor(
    private readonly deps: {
      workflow: Workflow; cases: CaseRepository; matters: AccountabilityMatters; roster: RosterRepository; notifier: Notifier; clock: Clock; refusals: Refusals;
    },
  ) {}

  /** The cadre's 问责事项 a clearance may come from: open ones (to be closed as 失实) and those already closed so. */
  async mattersOf(personId: number): Promise<AccountabilityMatter[]> {
    return (await this.deps.matters.ofPerson(personId)).filter((m) => m.status === 'open' || m.status === 'unfounded');
  }

  async open(o: ClearanceOpening): Promise<{ record: CaseRecord; route: RouteStep[] }> {
    const cadre = await this.deps.roster.person(o.cadreId);
    if (!cadre) throw new UserFacingError('名册中没有找到这位干部。');
    const chain = new Set((await this.deps.roster.unitChain(cadre.unitId)).map((u) => u.id));
    if (!(await this.deps.roster.rolesOf(o.openedBy.id)).some((r) => r.role === 'disciplineMember' && chain.has(r.unitId))) {
      const refusal = { actorId: o.openedBy.id, channel: o.channel, action: 'clearance.open.refused' as const, subject: `person:${cadre.code}` };
      throw await this.deps.refusals.refuse(refusal, `只有${cadre.name}所在单位的属地纪（工）委可以为其启动澄清正名。`);
    }
    const matter = o.matterId === null ? undefined : (await this.mattersOf(cadre.id)).find((m) => m.id === o.matterId);
    if (o.matterId !== null && !matter) throw new UserFacingError('所选问责事项不是该干部的，或已予容错免责，请重新选择。');
    const unit = await this.deps.roster.unit(cadre.unitId);
    const record = await this.deps.workflow.submit(
      'clearance',
      {
        applicant: cadre,
        filedBy: o.openedBy,
        draftKey: o.draftKey,
        unitId: cadre.unitId,
        matterId: matter?.id ?? null,
        integrated: false,
        path: 'ordinary',
        channel: o.channel,
        form: {
          applicantName: cadre.name,
          unitName: unit?.name ?? '',
          post: cadre.post,
          openedBy: o.openedBy.id,
          openedAt: this.deps.clock.now().toISOString(),
          matter: matter ? `${matter.number} ${matter.summary}` : null,
          accusation: o.accusation,
          conclusion: o.conclusion,
          impact: o.impact,
        },
      },
      async (tx) => {
        if (matter?.status === 'open') await this.deps.matters.setStatus(tx, matter.id, 'unfounded');
      },
    );
    return { record, route: await this.deps.workflow.route(record) };
  }

  /** The clarification carried out: the task of the grant is done and the case keeps what was done. */
  async complete(taskId: number, actor: Person, done: ClearanceDone, channel: string): Promise<string> {
    const note = `${done.clearedOn} 在${done.scope}以${done.manner}澄清正名。${done.note}`;
    return this.deps.workflow.completeTask(taskId, actor, note, channel, async (tx, c) => {
      await this.deps.cases.setFields(tx, c.id, { form: JSON.stringify({ ...c.form, cleared: { ...done, by: actor.id, at: this.deps.clock.now().toISOString() } }) });
      await this.deps.notifier.notify(tx, c.applicantId, { kind: 'text', text: `${c.number}：已为您澄清正名。${note}` });
    });
  }
}
