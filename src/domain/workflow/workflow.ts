import type { DataSource, EntityManager } from 'typeorm';
import type { Clock } from '../../clock';
import { zoneDate } from '../../clock';
import { NotAllowedError, UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { AuditLog } from '../audit';
import type { AccountabilityMatters } from '../tolerance/matters';
import type { Notifier } from '../notifier';
import { approvalCard, closedLabel, DECISION_WORDS, receiptCardId, stageCardId } from './cards';
import type { CaseRepository } from './caseRepository';
import { resolveHolder } from './routing';
import type { CaseKind, CaseRecord, Decision, StageDefinition, StageRecord, TaskDefinition, WorkflowDefinition } from './types';

export interface WorkflowDeps {
  db: DataSource;
  cases: CaseRepository;
  roster: RosterRepository;
  notifier: Notifier;
  audit: AuditLog;
  clock: Clock;
  definitions: WorkflowDefinition[];
  matters: AccountabilityMatters;
}

export interface Submission {
  applicant: Person;
  draftKey: string;
  unitId: number;
  matterId: number | null;
  integrated: boolean;
  form: Record<string, unknown>;
  channel: string;
}

export interface DecisionInput {
  stageId: number;
  actor: Person;
  decision: Decision;
  opinion: string;
  findings?: Record<string, unknown>;
  channel: string;
}

/** The route a case will take, as far as the roster can tell now. */
export interface RouteStep {
  title: string;
  assignee: Person | undefined;
}

/**
 * Moves cases through their approval chain. Every change happens in one transaction that
 * checks the state it starts from, writes the audit line and queues the notifications, so two
 * clicks, two approvers or two instances racing can never advance a case twice.
 */
export class Workflow {
  private readonly byKind: Map<CaseKind, WorkflowDefinition>;

  constructor(private readonly deps: WorkflowDeps) {
    this.byKind = new Map(deps.definitions.map((d) => [d.kind, d]));
  }

  definition(kind: CaseKind): WorkflowDefinition {
    return this.byKind.get(kind)!;
  }

  stageDefinition(c: CaseRecord, stage: StageRecord): StageDefinition {
    return this.definition(c.kind).stages.find((s) => s.key === stage.stageKey)!;
  }

  applicableStages(c: CaseRecord): StageDefinition[] {
    return this.definition(c.kind).stages.filter((s) => s.when?.(c) ?? true);
  }

  async route(c: CaseRecord): Promise<RouteStep[]> {
    return Promise.all(
      this.applicableStages(c).map(async (s) => ({ title: s.title, assignee: await resolveHolder(this.deps.roster, s.role, c.unitId, [c.applicantId]) })),
    );
  }

  /** Files a case once per draft; a repeated submit returns the case filed the first time. */
  async submit(kind: CaseKind, input: Submission): Promise<CaseRecord> {
    const existing = await this.deps.cases.byDraft(input.draftKey);
    if (existing) return existing;
    const def = this.definition(kind);
    const now = this.now();
    return this.deps.db.transaction(async (tx) => {
      const c = await this.deps.cases.create(tx, {
        kind, numberPrefix: def.numberPrefix, draftKey: input.draftKey, applicantId: input.applicant.id, unitId: input.unitId,
        matterId: input.matterId, integrated: input.integrated, form: input.form, now,
      });
      await this.deps.audit.append(tx, { actorId: input.applicant.id, channel: input.channel, action: 'case.submitted', subject: `case:${c.id}`, detail: { number: c.number } });
      await this.openStage(tx, c, this.applicableStages(c)[0], 1);
      return (await this.deps.cases.get(c.id, tx))!;
    });
  }

  /**
   * Checks, without changing anything, that `actor` may decide this stage now. A refusal is
   * audited: someone pressed a button that was not theirs.
   */
  async checkDecider(stageId: number, actor: Person, channel: string): Promise<{ c: CaseRecord; stage: StageRecord }> {
    const stage = await this.deps.cases.stage(stageId);
    const c = stage && (await this.deps.cases.get(stage.caseId));
    if (!stage || !c) throw new UserFacingError('没有找到这项审批。');
    if (stage.assigneeId !== actor.id) {
      await this.deps.audit.append(this.deps.db, { actorId: actor.id, channel, action: 'click.refused', subject: `case:${c.id}`, detail: { stageId, reason: 'not the approver' } });
      throw new NotAllowedError(`您不是“${this.stageDefinition(c, stage).title}”这一环节的审批人，不能对 ${c.number} 作出决定。`);
    }
    if (stage.status !== 'pending' || c.status !== 'in_review') throw new UserFacingError(await this.alreadyHandled(c, stage));
    return { c, stage };
  }

  async decide(input: DecisionInput): Promise<string> {
    const now = this.now();
    // A stage's approver never changes, so the refusal is decided (and audited) before the transaction.
    const asked = await this.deps.cases.stage(input.stageId);
    if (asked && asked.assigneeId !== input.actor.id) {
      throw await this.refuse(input.actor, input.channel, 'decide.refused', asked.caseId, '您不是这一环节的审批人。', { stageId: asked.id });
    }
    return this.deps.db.transaction(async (tx) => {
      const stage = await this.deps.cases.stage(input.stageId, tx);
      const c = stage && (await this.deps.cases.get(stage.caseId, tx));
      if (!stage || !c) throw new UserFacingError('没有找到这项审批。');
      if (stage.assigneeId !== input.actor.id) throw new NotAllowedError('您不是这一环节的审批人。');
      const reviews = this.stageDefinition(c, stage).jointReview ? await this.deps.cases.reviews(stage.id, tx) : [];
      const findings = reviews.length > 0 ? { ...input.findings, reviews: reviews.map((r) => ({ reviewerId: r.reviewerId, stance: r.stance, opinion: r.opinion })) } : input.findings;
      const closed = c.status === 'in_review' && (await this.deps.cases.closeStage(tx, stage.id, ['pending'], {
        status: input.decision === 'return' ? 'returned' : 'decided',
        decision: input.decision,
        opinion: input.opinion,
        findings: findings ? JSON.stringify(findings) : null,
        decided_by: input.actor.id,
        decided_at: now,
      }));
      // Read outside the transaction: its snapshot may predate the decision that beat this one.
      if (!closed) {
        // The same person's same decision again: a turn retried because Redis failed after its first
        // run was committed (see docs/guarantees.md). It is answered as the first run was, and
        // changes nothing; anyone else is told the stage was already handled.
        const fresh = await this.deps.cases.stage(stage.id);
        if (fresh?.decidedBy === input.actor.id && fresh.decision === input.decision && fresh.opinion === input.opinion) {
          return `已记录您的意见：${DECISION_WORDS[input.decision]}（${c.number}，${this.stageDefinition(c, stage).title}）。`;
        }
        throw new UserFacingError(await this.alreadyHandled(c, stage));
      }
      const stageDef = this.stageDefinition(c, stage);
      const earlier = (await this.deps.cases.stages(c.id, tx)).filter((s) => s.decision !== null && s.id !== stage.id);
      if (earlier.length === 0) {
        // From the first decision on, 撤回 no longer applies: the receipt's buttons grey out.
        await this.deps.notifier.notify(tx, c.applicantId, { kind: 'cardUpdate', cardId: receiptCardId(c), closedLabel: `审批中，发送“进度 ${c.number}”查看` });
      }
      await this.deps.audit.append(tx, {
        actorId: input.actor.id, channel: input.channel, action: `stage.${input.decision}`, subject: `case:${c.id}`,
        detail: { stage: stage.stageKey, opinion: input.opinion, findings: findings ?? null },
      });
      await this.deps.notifier.notify(tx, input.actor.id, {
        kind: 'cardUpdate',
        cardId: stage.cardId ?? stageCardId(stage),
        closedLabel: closedLabel(input.decision, input.actor.name, this.deps.clock.now()),
      });
      const told = `${c.number} 的“${stageDef.title}”：${input.actor.name} ${DECISION_WORDS[input.decision]}。意见：${input.opinion}`;
      if (input.decision === 'approve') {
        const stages = this.applicableStages(c);
        const next = stages[stages.findIndex((s) => s.key === stage.stageKey) + 1];
        if (next) {
          await this.deps.notifier.notify(tx, c.applicantId, { kind: 'text', text: `您的${this.definition(c.kind).title}进展：${told}\n下一步：${next.title}。` });
          await this.openStage(tx, c, next, stage.seq + 1);
        } else {
          await this.grant(tx, c, now, told);
        }
      } else if (input.decision === 'reject') {
        await this.deps.cases.transition(tx, c.id, ['in_review'], 'rejected', now);
        await this.deps.notifier.notify(tx, c.applicantId, { kind: 'text', text: `您的${this.definition(c.kind).title}未获同意：${told}` });
      } else {
        await this.deps.cases.transition(tx, c.id, ['in_review'], 'returned', now);
        await this.deps.notifier.notify(tx, c.applicantId, {
          kind: 'card',
          card: {
            cardId: `wf-sup${stage.id}`,
            title: `${c.number} 需要您补充材料`,
            description: `${stageDef.title}环节 ${input.actor.name} 的问题：${input.opinion}`,
            buttons: [{ key: `wfc:${c.id}:supplement`, label: '补充材料', style: 'primary' }],
          },
        });
      }
      return `已记录您的意见：${DECISION_WORDS[input.decision]}（${c.number}，${stageDef.title}）。`;
    });
  }

  /** 撤回: the applicant takes the case back, as long as nobody has decided anything on it. */
  async withdraw(caseId: number, actor: Person, channel: string): Promise<string> {
    const now = this.now();
    await this.applicantOnly(caseId, actor, channel, 'withdraw.refused', '只有申请人本人可以撤回申请。');
    return this.deps.db.transaction(async (tx) => {
      const c = await this.deps.cases.get(caseId, tx);
      if (!c) throw new UserFacingError('没有找到这项申请。');
      if (c.applicantId !== actor.id) throw new NotAllowedError('只有申请人本人可以撤回申请。');
      const stages = await this.deps.cases.stages(c.id, tx);
      if (stages.some((s) => s.decision !== null) || !['in_review', 'blocked'].includes(c.status)) {
        throw new UserFacingError(`${c.number} 已有审批意见或已办结，不能撤回。如有需要请联系审批人。`);
      }
      if (!(await this.deps.cases.transition(tx, c.id, ['in_review', 'blocked'], 'withdrawn', now))) throw new UserFacingError(`${c.number} 的状态已变化，不能撤回。`);
      for (const s of stages.filter((st) => st.status === 'pending' || st.status === 'blocked')) {
        await this.deps.cases.setStage(tx, s.id, { status: 'withdrawn' });
        if (s.assigneeId) {
          await this.deps.notifier.notify(tx, s.assigneeId, { kind: 'cardUpdate', cardId: s.cardId ?? stageCardId(s), closedLabel: '申请人已撤回' });
          await this.deps.notifier.notify(tx, s.assigneeId, { kind: 'text', text: `${c.number} 已由申请人撤回，无需再审批。` });
        }
      }
      await this.deps.notifier.notify(tx, c.applicantId, { kind: 'cardUpdate', cardId: receiptCardId(c), closedLabel: '已撤回' });
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'case.withdrawn', subject: `case:${c.id}` });
      return `已撤回 ${c.number}。`;
    });
  }

  /** After 退回补充: the applicant's answer goes back to the stage that asked. */
  async resubmit(caseId: number, actor: Person, supplement: { text: string; attachments: unknown[] }, channel: string): Promise<string> {
    const now = this.now();
    await this.applicantOnly(caseId, actor, channel, 'supplement.refused', '只有申请人本人可以补充材料。');
    return this.deps.db.transaction(async (tx) => {
      const c = await this.deps.cases.get(caseId, tx);
      if (!c) throw new UserFacingError('没有找到这项申请。');
      if (c.applicantId !== actor.id) throw new NotAllowedError('只有申请人本人可以补充材料。');
      const stages = await this.deps.cases.stages(c.id, tx);
      const asking = stages.filter((s) => s.status === 'returned').at(-1);
      if (!asking || !(await this.deps.cases.transition(tx, c.id, ['returned'], 'in_review', now))) {
        throw new UserFacingError(`${c.number} 目前不需要补充材料。`);
      }
      const supplements = [...((c.form.supplements as unknown[]) ?? []), { at: now, question: asking.opinion, ...supplement }];
      await this.deps.cases.setFields(tx, c.id, { form: JSON.stringify({ ...c.form, supplements }) });
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'case.resubmitted', subject: `case:${c.id}` });
      const refreshed = (await this.deps.cases.get(c.id, tx))!;
      await this.openStage(tx, refreshed, this.stageDefinition(c, asking), Math.max(...stages.map((s) => s.seq)) + 1);
      return `已补充材料并重新提交 ${c.number}，将回到“${this.stageDefinition(c, asking).title}”环节。`;
    });
  }

  /** 催办: reminds the approver the case waits on, at most once a day. */
  async remind(caseId: number, actor: Person, channel: string): Promise<string> {
    const c = await this.deps.cases.get(caseId);
    if (!c) throw new UserFacingError('没有找到这项申请。');
    if (c.applicantId !== actor.id) throw await this.refuse(actor, channel, 'remind.refused', c.id, '只有申请人本人可以催办。');
    const stage = (await this.deps.cases.stages(c.id)).find((s) => s.status === 'pending');
    if (!stage?.assigneeId) throw new UserFacingError(`${c.number} 目前没有等待审批的环节。`);
    const now = this.deps.clock.now();
    if (stage.remindedAt && now.getTime() - Date.parse(stage.remindedAt) < 24 * 3600 * 1000) {
      throw new UserFacingError('今天已经催办过了，请明天再试。');
    }
    const stageDef = this.stageDefinition(c, stage);
    await this.deps.db.transaction(async (tx) => {
      await this.deps.cases.setStage(tx, stage.id, { reminded_at: now.toISOString() });
      await this.deps.notifier.notify(tx, stage.assigneeId!, { kind: 'text', text: `【催办】${c.number}（${this.definition(c.kind).title}）在“${stageDef.title}”环节等待您的意见，已等待 ${daysSince(stage.openedAt, now)} 天。` });
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'stage.reminded', subject: `case:${c.id}`, detail: { stage: stage.stageKey } });
    });
    const assignee = await this.deps.roster.person(stage.assigneeId);
    return `已提醒${assignee?.name ?? '审批人'}尽快处理 ${c.number}。`;
  }

  /** After the roster has been fixed, finds an approver for a stage that had none. */
  async reroute(caseId: number, actor: Person, channel: string): Promise<string> {
    const now = this.now();
    return this.deps.db.transaction(async (tx) => {
      const c = await this.deps.cases.get(caseId, tx);
      const blocked = c && (await this.deps.cases.stages(c.id, tx)).find((s) => s.status === 'blocked');
      if (!c || !blocked) throw new UserFacingError('这项申请目前不需要重新分派。');
      const stageDef = this.stageDefinition(c, blocked);
      const assignee = await resolveHolder(this.deps.roster, stageDef.role, c.unitId, [c.applicantId]);
      if (!assignee) throw new UserFacingError(`名册中仍然没有“${stageDef.title}”的审批人，请先补充名册。`);
      await this.deps.cases.setStage(tx, blocked.id, { status: 'withdrawn' });
      await this.deps.cases.transition(tx, c.id, ['blocked'], 'in_review', now);
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'case.rerouted', subject: `case:${c.id}` });
      await this.openStage(tx, c, stageDef, blocked.seq + 1);
      return `已将 ${c.number} 分派给 ${assignee.name}。`;
    });
  }

  taskDefinition(c: CaseRecord, kind: string): TaskDefinition | undefined {
    const def = this.definition(c.kind);
    return [...def.onGranted, ...(def.laterTasks ?? [])].find((t) => t.kind === kind);
  }

  /**
   * Marks a follow-up task done with what was done; 报备 tasks also date the case's report.
   * `alsoDo` runs in the same transaction, for tasks whose completion records more.
   */
  async completeTask(taskId: number, actor: Person, note: string, channel: string, alsoDo?: (tx: EntityManager, c: CaseRecord) => Promise<void>): Promise<string> {
    const task = await this.deps.cases.task(taskId);
    const c = task && (await this.deps.cases.get(task.caseId));
    if (!task || !c) throw new UserFacingError('没有找到这项待办。');
    if (task.assigneeId !== actor.id) throw await this.refuse(actor, channel, 'task.refused', c.id, '这项待办不是分派给您的。', { taskId: task.id });
    const now = this.deps.clock.now();
    return this.deps.db.transaction(async (tx) => {
      if (!(await this.deps.cases.completeTask(tx, task.id, { note, doneAt: now.toISOString(), doneBy: actor.id }))) {
        throw new UserFacingError(`“${task.title}”已经办结，无需重复操作。`);
      }
      if (this.taskDefinition(c, task.kind)?.marksReported) await this.deps.cases.setFields(tx, c.id, { reported_on: zoneDate(now) });
      await alsoDo?.(tx, c);
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'task.done', subject: `case:${c.id}`, detail: { task: task.kind, note } });
      return `已办结：${c.number} ${task.title}。`;
    });
  }

  /** Creates a follow-up task of `kind` (from onGranted or laterTasks) and tells its assignee. */
  async addTask(tx: EntityManager, c: CaseRecord, kind: string): Promise<void> {
    const task = this.taskDefinition(c, kind)!;
    const now = this.now();
    const assignee =
      task.role === 'applicant' ? await this.deps.roster.person(c.applicantId) : await resolveHolder(this.deps.roster, task.role, c.unitId, []);
    const due = task.dueAtPeriodEnd
      ? ((c.form.periodEnd as string | undefined) ?? null)
      : task.dueInDays === undefined
        ? null
        : zoneDate(new Date(Date.parse(now) + task.dueInDays * 24 * 3600 * 1000));
    await this.deps.cases.addTask(tx, { caseId: c.id, kind: task.kind, title: task.title, assigneeId: assignee?.id ?? null, dueOn: due, now });
    if (assignee) {
      await this.deps.notifier.notify(tx, assignee.id, { kind: 'text', text: `【待办】${c.number}：${task.title}${due ? `（请于 ${due} 前完成）` : ''}。发送“我的待办”查看并办理。` });
    }
  }

  private async openStage(tx: EntityManager, c: CaseRecord, stageDef: StageDefinition, seq: number): Promise<void> {
    const now = this.now();
    const assignee = await resolveHolder(this.deps.roster, stageDef.role, c.unitId, [c.applicantId]);
    const stage = await this.deps.cases.openStage(tx, { caseId: c.id, seq, stageKey: stageDef.key, assigneeId: assignee?.id ?? null, status: assignee ? 'pending' : 'blocked', now });
    if (!assignee) {
      await this.deps.cases.transition(tx, c.id, ['in_review'], 'blocked', now);
      await this.deps.audit.append(tx, { actorId: null, action: 'case.blocked', subject: `case:${c.id}`, detail: { stage: stageDef.key, role: stageDef.role } });
      const admins = (await this.deps.roster.nearestHolders('partyAffairsAdmin', c.unitId))?.people ?? [];
      for (const admin of admins) {
        await this.deps.notifier.notify(tx, admin.id, {
          kind: 'card',
          card: {
            cardId: `wf-blk${stage.id}`,
            title: `${c.number} 无法送达“${stageDef.title}”`,
            description: `名册中找不到该申请所在单位的“${stageDef.title}”审批人（角色：${stageDef.role}）。请补充名册后点击“重新分派”。`,
            buttons: [{ key: `wfc:${c.id}:reroute`, label: '重新分派', style: 'primary' }],
          },
        });
      }
      return;
    }
    await this.deps.cases.setStage(tx, stage.id, { card_id: stageCardId(stage) });
    const applicant = await this.deps.roster.person(c.applicantId);
    await this.deps.notifier.notify(tx, assignee.id, approvalCard(this.definition(c.kind), stageDef, c, stage, applicant?.name ?? ''));
  }

  private async grant(tx: EntityManager, c: CaseRecord, now: string, told: string): Promise<void> {
    const def = this.definition(c.kind);
    const proposal = (await this.deps.cases.stages(c.id, tx)).map((s) => s.findings?.outcome).filter(Boolean).at(-1) ?? null;
    await this.deps.cases.transition(tx, c.id, ['in_review'], 'granted', now, { outcome: proposal === null ? null : JSON.stringify(proposal) });
    await this.deps.audit.append(tx, { actorId: null, action: 'case.granted', subject: `case:${c.id}`, detail: { outcome: proposal } });
    if (c.matterId) await this.deps.matters.setStatus(tx, c.matterId, 'exempted');
    for (const task of def.onGranted) await this.addTask(tx, c, task.kind);
    await this.deps.notifier.notify(tx, c.applicantId, { kind: 'text', text: `您的${def.title}已获批准：${told}` });
  }

  /** Audits a refusal about case `caseId` and returns the error to throw (outside any transaction). */
  private refuse(actor: Person, channel: string, action: `${string}.refused`, caseId: number, message: string, detail?: Record<string, unknown>): Promise<NotAllowedError> {
    return this.deps.audit.refusal(this.deps.db, { actorId: actor.id, channel, action, subject: `case:${caseId}`, detail }, message);
  }

  /** Refuses (and audits) anyone but the applicant; an applicant never changes, so this holds inside the transaction too. */
  private async applicantOnly(caseId: number, actor: Person, channel: string, action: `${string}.refused`, message: string): Promise<void> {
    const c = await this.deps.cases.get(caseId);
    if (c && c.applicantId !== actor.id) throw await this.refuse(actor, channel, action, c.id, message);
  }

  private async alreadyHandled(c: CaseRecord, stage: StageRecord): Promise<string> {
    const fresh = (await this.deps.cases.stage(stage.id)) ?? stage;
    if (fresh.decision && fresh.decidedBy) {
      const decider = await this.deps.roster.person(fresh.decidedBy);
      return `${c.number} 的这一环节已处理（${closedLabel(fresh.decision, decider?.name ?? '', new Date(fresh.decidedAt!))}），无需重复操作。`;
    }
    return `${c.number} 目前不在等待您审批的状态，无需操作。`;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

function daysSince(iso: string, now: Date): number {
  return Math.max(1, Math.floor((now.getTime() - Date.parse(iso)) / (24 * 3600 * 1000)));
}
