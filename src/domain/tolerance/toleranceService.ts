import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { zoneDate } from '../../clock';
import { NotAllowedError, UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { AuditLog } from '../audit';
import type { Notifier } from '../notifier';
import type { CaseRepository } from '../workflow/caseRepository';
import { replyRecipients } from '../workflow/conclusion';
import type { Revocation } from '../workflow/record';
import type { CaseRecord, PathDefinition } from '../workflow/types';
import type { RouteStep, Workflow } from '../workflow/workflow';
import { toleranceWorkflow } from './definition';
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
  /** 上级党组织、纪检监察机关交办的问题线索、信访件 (《容错细则》第六条（一）4). */
  handedDown: boolean;
  /** The applicant says the matter involves a 市管干部 the roster does not show (another person). */
  involvesCityCadre: boolean;
  integrated: boolean;
  /** A 改革创新风险备案 the request cites, so that the investigator sees it. */
  filingId: number | null;
  attachments: unknown[];
  channel: string;
}

/** The path of 《容错细则》第六条（一）4 a request takes, and the facts that decided it. */
export interface PathChoice {
  path: PathDefinition;
  reasons: string[];
}

export interface Handling {
  result: string;
  decidedOn: string;
  documentNumber: string | null;
}

/** Concluded states a 第十条 revocation applies to: the exemption granted, or the request refused. */
const REVOCABLE = ['granted', 'rejected'] as const;

/** 容错免责 use cases: apply (第五、六条), revoke and record the 严肃处理 (第十条). */
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

  /**
   * 第六条（一）4: matters handed down from above, or involving a 市管干部 (the applicant, the
   * matter's subject, or another the applicant names), go the city's way; 八个一体化 adds the
   * 开发区党工委; everything else is ordinary.
   */
  async choosePath(a: Pick<ToleranceApplication, 'applicant' | 'matterId' | 'handedDown' | 'involvesCityCadre' | 'integrated'>): Promise<PathChoice> {
    const byKey = (key: string) => toleranceWorkflow.paths.find((p) => p.key === key)!;
    const reasons: string[] = [];
    if (a.handedDown) reasons.push('属上级党组织、纪检监察机关交办的问题线索、信访件');
    if (a.applicant.cityManaged) reasons.push('申请人为市管干部');
    const matter = a.matterId === null ? undefined : await this.deps.matters.get(a.matterId);
    const subject = matter?.subjectPersonId && matter.subjectPersonId !== a.applicant.id ? await this.deps.roster.person(matter.subjectPersonId) : undefined;
    if (subject?.cityManaged) reasons.push(`问责事项涉及市管干部${subject.name}`);
    if (a.involvesCityCadre) reasons.push('申请人说明该事项涉及市管干部');
    if (reasons.length > 0) return { path: byKey('city'), reasons };
    if (a.integrated) return { path: byKey('integrated'), reasons: ['属“八个一体化”事项'] };
    return { path: byKey('ordinary'), reasons: [] };
  }

  async apply(a: ToleranceApplication): Promise<{ record: CaseRecord; route: RouteStep[]; why: string }> {
    const unit = await this.deps.roster.unit(a.applicant.unitId);
    const { path, reasons } = await this.choosePath(a);
    const record = await this.deps.workflow.submit('tolerance', {
      applicant: a.applicant,
      draftKey: a.draftKey,
      unitId: a.applicant.unitId,
      matterId: a.matterId,
      integrated: a.integrated,
      path: path.key,
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
        handedDown: a.handedDown,
        pathReasons: reasons,
        filingId: a.filingId,
        attachments: a.attachments,
      },
    });
    const why = `本申请按“${path.title}”办理${reasons.length > 0 ? `（${reasons.join('；')}）` : ''}。${path.explain}`;
    return { record, route: await this.deps.workflow.route(record), why };
  }

  /**
   * 第十条: a 纪工委 member of the case's territory reopens a concluded request (the exemption
   * granted, or the request refused) for one of the four reasons. Accountability restarts on
   * its 问责事项 (one is opened when the request named none); the record keeps what the case was,
   * and a task asks for the 严肃处理 result.
   */
  async revoke(number: string, actor: Person, ground: number, description: string, channel: string): Promise<string> {
    const c = await this.deps.cases.byNumber(number);
    if (!c || c.kind !== 'tolerance') throw new UserFacingError(`没有找到编号为 ${number} 的容错免责申请。`);
    if (!(await this.isDisciplineMemberFor(actor, c.unitId))) {
      await this.deps.audit.append(this.deps.db, { actorId: actor.id, channel, action: 'revoke.refused', subject: `case:${c.id}` });
      throw new NotAllowedError('只有属地纪（工）委的同志可以撤销容错免责认定。');
    }
    if (!(REVOCABLE as readonly string[]).includes(c.status)) {
      throw new UserFacingError(c.status === 'revoked' ? `${c.number} 已经撤销过，无需重复操作。` : `${c.number} 尚未办结（当前：审批中或已撤回），不能依《容错细则》第十条撤销。`);
    }
    if (c.outcome?.by === 'city') {
      throw new UserFacingError(`${c.number} 由市纪委监委作出决定（《容错细则》第二条第二款），发现第十条情形的，请报市纪委监委处理。`);
    }
    const now = this.deps.clock.now().toISOString();
    const reason = `第十条${item(ground)}${REVOCATION_REASONS[ground]}`;
    return this.deps.db.transaction(async (tx) => {
      const matterId =
        c.matterId ??
        (
          await this.deps.matters.insert(tx, {
            draftKey: `revoke-${c.number}`, subjectPersonId: c.applicantId, subjectUnitId: null, summary: `重新启动问责：${c.number} ${reason}`,
            openedOn: zoneDate(new Date(now)), openedBy: actor, channel,
          })
        ).id;
      if (c.matterId) await this.deps.matters.setStatus(tx, c.matterId, 'open');
      const revocation: Revocation = { ground, reason, description, by: actor.id, at: now, previousStatus: c.status, matterId };
      if (!(await this.deps.cases.transition(tx, c.id, [...REVOCABLE], 'revoked', now, { revocation: JSON.stringify(revocation) }))) {
        throw new UserFacingError(`${c.number} 的状态已变化，请重新查询后再办理。`);
      }
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'case.revoked', subject: `case:${c.id}`, detail: { ...revocation } });
      for (const task of await this.deps.cases.cancelOpenTasks(tx, c.id, '容错免责认定已依《容错细则》第十条撤销，无需再办。', now)) {
        if (task.assigneeId) await this.deps.notifier.notify(tx, task.assigneeId, { kind: 'text', text: `${c.number} 已依《容错细则》第十条撤销认定，待办“${task.title}”已取消。` });
      }
      const revoked = (await this.deps.cases.get(c.id, tx))!;
      await this.deps.workflow.addTask(tx, revoked, 'handling', actor.id);
      const matter = await this.deps.matters.get(matterId, tx);
      const text =
        `${c.number} 容错免责申请（${String(c.form.applicantName ?? '')}）已依据《容错细则》${reason}撤销认定，重新启动问责程序（问责事项 ${matter?.number ?? ''}），依纪依法严肃处理。` +
        `说明：${description}`;
      for (const id of await replyRecipients(this.deps.roster, toleranceWorkflow, c)) await this.deps.notifier.notify(tx, id, { kind: 'text', text });
      if (c.status === 'granted') {
        for (const officer of (await this.deps.roster.nearestHolders('personnelOfficer', c.unitId))?.people ?? []) {
          await this.deps.notifier.notify(tx, officer.id, { kind: 'text', text: `【容错免责干部】${text}此前的容错免责处理不再适用。` });
        }
      }
      return `已撤销 ${c.number} 的${c.status === 'granted' ? '容错免责认定' : '办理结论'}，并重新启动问责（${matter?.number ?? ''}）。严肃处理的结果请在待办中登记。`;
    });
  }

  /** The 严肃处理 decided after a revocation, recorded on it (the task the revocation created). */
  async recordHandling(taskId: number, actor: Person, handling: Handling, channel: string): Promise<string> {
    const note = `处理结果：${handling.result}（${handling.decidedOn}${handling.documentNumber ? `，${handling.documentNumber}` : ''}）`;
    return this.deps.workflow.completeTask(taskId, actor, note, channel, async (tx, c) => {
      if (!c.revocation) throw new UserFacingError(`${c.number} 没有撤销记录。`);
      const revocation: Revocation = { ...c.revocation, handling: { ...handling, by: actor.id, at: this.deps.clock.now().toISOString() } };
      await this.deps.cases.setFields(tx, c.id, { revocation: JSON.stringify(revocation) });
    });
  }

  private async isDisciplineMemberFor(person: Person, unitId: number): Promise<boolean> {
    const chain = new Set((await this.deps.roster.unitChain(unitId)).map((u) => u.id));
    return (await this.deps.roster.rolesOf(person.id)).some((r) => r.role === 'disciplineMember' && chain.has(r.unitId));
  }
}
