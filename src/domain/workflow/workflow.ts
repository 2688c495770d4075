import type { DataSource, EntityManager } from 'typeorm';
import type { OutboundMessage } from '../../channels/port';
import type { Executor } from '../../storage/sql';
import type { Clock } from '../../clock';
import { zoneDate } from '../../clock';
import { NotAllowedError, UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import { ROLES, type Person } from '../../roster/types';
import type { AuditLog } from '../audit';
import type { AccountabilityMatters } from '../tolerance/matters';
import type { Notifier } from '../notifier';
import { RegisterTurns } from '../numbering';
import { approvalMessages, closedLabel, receiptCardId, stageCardId, supplementRequest } from './cards';
import { caseDetailLink } from './caseLinks';
import type { CaseRepository } from './caseRepository';
import { checkEntry, decisionOf, findingBefore, nextStage, pathOf, stageByKey, stagesOf, verdictOf, zoneConclusion } from './chain';
import { conclude } from './conclusion';
import { DEFAULT_DEADLINES, taskLine, type DeadlineSettings } from './deadlines';
import { entryText, entryVerb, statusLabel } from './describe';
import { historyOf, type NameOf } from './history';
import { isExternal, applicantFollows } from './kinds';
import type { StageEntry } from './record';
import { recusalText, resolveHolder, routeStage, type Routed } from './routing';
import { DEFAULT_URGE_SETTINGS, type UrgeSettings } from './approvalReminders';
import { afterWorkingMs, waitText, workingMsBetween } from '../../calendar/workingTime';
import type { CaseKind, CaseRecord, StageDefinition, StageRecord, TaskDefinition, WorkflowDefinition } from './types';

export interface WorkflowDeps {
  db: DataSource;
  cases: CaseRepository;
  roster: RosterRepository;
  notifier: Notifier;
  audit: AuditLog;
  clock: Clock;
  definitions: WorkflowDefinition[];
  matters: AccountabilityMatters;
  /** 建议办理期限 of follow-up tasks (SUGGESTED_DAYS_*). */
  deadlines?: DeadlineSettings;
  /** PUBLIC_BASE_URL: cards link to the case's page there. */
  publicBaseUrl?: string;
  /** When the applicant may 催办 (URGE_AFTER_WORKING_HOURS, WORKING_DAY_HOURS). */
  urge?: UrgeSettings;
}

export interface Submission {
  applicant: Person;
  /** Who filed it, when not the applicant (a 澄清正名 the 纪工委 opens for a cadre). */
  filedBy?: Person;
  draftKey: string;
  unitId: number;
  matterId: number | null;
  integrated: boolean;
  /** The definition's path chosen at intake. */
  path: string;
  form: Record<string, unknown>;
  channel: string;
  /**
   * A verdict that concludes the case as soon as it is recorded, with no stage opened: a matter
   * recorded only to say it is handled elsewhere (《能上能下办法》第五条).
   */
  concludes?: string;
}

/** Why and when the applicant took the case back (cases.form.withdrawal). */
export interface Withdrawal {
  at: string;
  by: number;
  reason: string;
}

export interface DecisionInput {
  stageId: number;
  actor: Person;
  entry: StageEntry;
  channel: string;
}

/** The route a case will take, as far as the roster can tell now. */
export interface RouteStep {
  title: string;
  assignee: Person | undefined;
  /** 因回避，本环节由…办理, when the applicant was passed over. */
  recusal?: string;
}

/**
 * Moves cases through their chain, whatever the chain: each stage's kind says what its entry
 * is and where the case goes next. Every change happens in one transaction that checks the
 * state it starts from, writes the audit line and queues the notifications, so two clicks,
 * two approvers or two instances racing can never advance a case twice.
 */
export class Workflow {
  private readonly byKind: Map<CaseKind, WorkflowDefinition>;
  private readonly deadlines: DeadlineSettings;
  private readonly urge: UrgeSettings;
  private readonly registerTurns = new RegisterTurns();

  constructor(private readonly deps: WorkflowDeps) {
    this.byKind = new Map(deps.definitions.map((d) => [d.kind, d]));
    this.deadlines = deps.deadlines ?? DEFAULT_DEADLINES;
    this.urge = deps.urge ?? DEFAULT_URGE_SETTINGS;
  }

  definition(kind: CaseKind): WorkflowDefinition {
    return this.byKind.get(kind)!;
  }

  /** Every chain the workflow runs, in the order they were given: what the console's 类别 filter offers. */
  definitions(): WorkflowDefinition[] {
    return [...this.byKind.values()];
  }

  stageDefinition(c: CaseRecord, stage: StageRecord): StageDefinition {
    return stageByKey(this.definition(c.kind), stage.stageKey);
  }

  applicableStages(c: CaseRecord): StageDefinition[] {
    return stagesOf(this.definition(c.kind), c);
  }

  async route(c: CaseRecord): Promise<RouteStep[]> {
    return Promise.all(
      this.applicableStages(c).map(async (s) => {
        const routed = await this.routed(s, c);
        return { title: s.title, assignee: routed.holder, recusal: this.recusal(s, routed) };
      }),
    );
  }

  /**
   * Files a case once per draft; a repeated submit returns the case filed the first time.
   * `alsoDo` runs in the same transaction, for filings that change another record.
   */
  async submit(kind: CaseKind, input: Submission, alsoDo?: (tx: EntityManager, c: CaseRecord) => Promise<void>): Promise<CaseRecord> {
    const existing = await this.deps.cases.byDraft(input.draftKey);
    if (existing) return existing;
    const def = this.definition(kind);
    pathOf(def, input);
    const now = this.now();
    return this.registerTurns.run(def.numberPrefix, () => this.deps.db.transaction(async (tx) => {
      const c = await this.deps.cases.create(tx, {
        kind, numberPrefix: def.numberPrefix, draftKey: input.draftKey, applicantId: input.applicant.id, unitId: input.unitId,
        matterId: input.matterId, integrated: input.integrated, path: input.path, form: input.form, now,
      });
      const actor = input.filedBy ?? input.applicant;
      await this.deps.audit.append(tx, { actorId: actor.id, channel: input.channel, action: 'case.submitted', subject: `case:${c.id}`, detail: { number: c.number, path: input.path } });
      await alsoDo?.(tx, c);
      if (input.concludes) {
        const told = `${actor.name}登记：${verdictOf(def, input.concludes).label}`;
        await conclude(this.deps, tx, def, c, { verdict: input.concludes, outcomes: [], by: 'zone', approverId: actor.id, told }, now, (t, cc, k) => this.addTasks(t, cc, k));
      } else {
        await this.openStage(tx, c, this.applicableStages(c)[0], 1);
      }
      return (await this.deps.cases.get(c.id, tx))!;
    }));
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

  /**
   * Records a stage's entry and moves the case on. `alsoDo` runs in the same transaction once the
   * stage is closed and before the next one opens, for chains whose decision changes another
   * record (an adjustment's 组织决定: its influence period and talks).
   */
  async decide(input: DecisionInput, alsoDo?: (tx: EntityManager, c: CaseRecord) => Promise<void>): Promise<string> {
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
      const def = this.definition(c.kind);
      const stageDef = this.stageDefinition(c, stage);
      const stages = await this.deps.cases.stages(c.id, tx);
      const entry = await this.completeEntry(tx, def, stageDef, stage, stages, input.entry);
      const decision = decisionOf(def, entry);
      const opinion = entry.kind === 'return' ? entry.question : entry.opinion;
      const closed = c.status === 'in_review' && (await this.deps.cases.closeStage(tx, stage.id, ['pending'], {
        status: entry.kind === 'return' ? 'returned' : 'decided',
        decision,
        opinion,
        findings: JSON.stringify(entry),
        decided_by: input.actor.id,
        decided_at: now,
      }));
      // Read outside the transaction: its snapshot may predate the decision that beat this one.
      if (!closed) {
        // The same person's same decision again: a turn retried because Redis failed after its first
        // run was committed (see docs/guarantees.md). It is answered as the first run was, and
        // changes nothing; anyone else is told the stage was already handled.
        const fresh = await this.deps.cases.stage(stage.id);
        if (fresh?.decidedBy === input.actor.id && fresh.decision === decision && fresh.opinion === opinion) return this.recorded(def, c, stageDef, entry);
        throw new UserFacingError(await this.alreadyHandled(c, stage));
      }
      if (!stages.some((s) => s.decision !== null) && applicantFollows(def)) {
        // From the first decision on, 撤回 no longer applies: the receipt's buttons grey out.
        await this.deps.notifier.notify(tx, c.applicantId, { kind: 'cardUpdate', cardId: receiptCardId(c), closedLabel: `审批中，发送“进度 ${c.number}”查看` });
      }
      await this.deps.audit.append(tx, {
        actorId: input.actor.id, channel: input.channel, action: `stage.${decision}`, subject: `case:${c.id}`,
        detail: { stage: stage.stageKey, kind: stageDef.kind, entry },
      });
      await this.deps.notifier.notify(tx, input.actor.id, {
        kind: 'cardUpdate',
        cardId: stage.cardId ?? stageCardId(stage),
        closedLabel: closedLabel(entryVerb(def, entry, stageDef), input.actor.name, this.deps.clock.now()),
      });
      await alsoDo?.(tx, c);
      await this.moveOn(tx, def, (await this.deps.cases.get(c.id, tx))!, stageDef, stage, entry, input.actor, now);
      return [this.recorded(def, c, stageDef, entry), ...(await this.concludedNote(tx, c, now))].join('\n');
    });
  }

  /** Where the case goes once `stage` has recorded `entry`. */
  private async moveOn(tx: EntityManager, def: WorkflowDefinition, c: CaseRecord, stageDef: StageDefinition, stage: StageRecord, entry: StageEntry, actor: Person, now: string): Promise<void> {
    const told = `${stageDef.title}：${actor.name} ${entryText(def, entry, stageDef)}`;
    const progress = `您的${def.title} ${c.number} 有新进展：\n${told}`;
    const nextSeq = (await this.deps.cases.stages(c.id, tx)).reduce((max, s) => Math.max(max, s.seq), 0) + 1;
    if (entry.kind === 'return') {
      await this.deps.cases.transition(tx, c.id, ['in_review'], 'returned', now);
      for (const message of supplementRequest(c, stage.id, stageDef.title, actor.name, entry.question, this.caseLink(c))) await this.deps.notifier.notify(tx, c.applicantId, message);
      return;
    }
    if (entry.kind === 'approval' && entry.stance === 'disagree') {
      const finding = findingBefore(def, c, stageDef.key);
      await this.deps.notifier.notify(tx, c.applicantId, { kind: 'text', text: `${progress}\n下一步：${finding.title}（重新核实）。` });
      await this.openStage(tx, c, finding, nextSeq, `重新核实：${actor.name}（${stageDef.title}）不同意原认定意见，理由：${entry.opinion}`);
      return;
    }
    if (entry.kind === 'finding' && verdictOf(def, entry.verdict).ends) {
      const { verdict, outcomes, note } = entry;
      await conclude(this.deps, tx, def, c, { verdict, outcomes, note, by: 'zone', approverId: actor.id, told }, now, (t, cc, k) => this.addTasks(t, cc, k));
      return;
    }
    if (entry.kind === 'answer') {
      const { verdict, outcomes, note } = entry;
      const cityAnswer = { documentNumber: entry.documentNumber, answeredOn: entry.answeredOn };
      await conclude(this.deps, tx, def, c, { verdict, outcomes, note, by: 'city', approverId: null, cityAnswer, told }, now, (t, cc, k) => this.addTasks(t, cc, k));
      return;
    }
    const next = nextStage(def, c, stageDef.key);
    if (next) {
      if (applicantFollows(def)) await this.deps.notifier.notify(tx, c.applicantId, { kind: 'text', text: `${progress}\n下一步：${next.title}。` });
      await this.openStage(tx, c, next, nextSeq);
      return;
    }
    const reached = zoneConclusion(await this.deps.cases.stages(c.id, tx));
    if (!reached) throw new Error(`${c.number}: the path ends without a finding`);
    await conclude(this.deps, tx, def, c, { ...reached, by: 'zone', approverId: actor.id, told }, now, (t, cc, k) => this.addTasks(t, cc, k));
  }

  /** Checks the entry for this stage and adds what the stage holds (a 集体会审's participants). */
  private async completeEntry(tx: EntityManager, def: WorkflowDefinition, stageDef: StageDefinition, stage: StageRecord, stages: StageRecord[], entry: StageEntry): Promise<StageEntry> {
    checkEntry(def, stageDef, entry);
    if (entry.kind === 'approval' && entry.outcomes) {
      const current = zoneConclusion(stages);
      if (!current || !verdictOf(def, current.verdict).grants) throw new UserFacingError('认定结论为不予的，不能调整处理方式；如认为应予，请选择“不同意”并写明理由，退回重新核实。');
    }
    if (entry.kind !== 'jointReview') return entry;
    const reviews = await this.deps.cases.reviews(stage.id, tx);
    if (reviews.length === 0 || reviews.some((r) => r.status !== 'done')) throw new UserFacingError('集体会审意见尚未到齐，请待全部会审人员提出意见后再填写会审意见。');
    return { ...entry, reviews: reviews.map((r) => ({ reviewerId: r.reviewerId, stance: r.stance ?? '', opinion: r.opinion ?? '' })) };
  }

  /** The approver whose decision concluded the case is told the 批复 went out, and to whom: they receive none. */
  private async concludedNote(tx: EntityManager, c: CaseRecord, now: string): Promise<string[]> {
    const reply = await this.deps.cases.reply(c.id, tx);
    if (!reply || reply.createdAt !== now) return [];
    const names = (await Promise.all(reply.recipientIds.map((id) => this.deps.roster.person(id)))).flatMap((p) => (p ? [p.name] : []));
    const made = reply.issuer === 'city' ? '已按市纪委监委答复办结' : `已作出${reply.title}，编号 ${reply.number}`;
    return [`${made}，已发送给${names.join('、')}。`];
  }

  private recorded(def: WorkflowDefinition, c: CaseRecord, stageDef: StageDefinition, entry: StageEntry): string {
    if (entry.kind === 'record') return `已登记 ${c.number} 的${stageDef.title}。`;
    const noun = stageDef.stanceWords ? '意愿' : entry.kind === 'finding' ? '认定' : '意见';
    return `已记录您的${noun}：${entryVerb(def, entry, stageDef).replace(/^已(认定：)?/, '')}（${c.number}，${stageDef.title}）。`;
  }

  /**
   * Whether `actor` may 撤回 this case now, checked before the reason is asked: the applicant, on a
   * case of a withdrawable kind that nobody has decided anything on yet.
   */
  async checkWithdrawal(caseId: number, actor: Person, channel: string): Promise<CaseRecord> {
    await this.applicantOnly(caseId, actor, channel, 'withdraw.refused', '只有申请人本人可以撤回申请。');
    const c = await this.deps.cases.get(caseId);
    if (!c) throw new UserFacingError('没有找到这项申请。');
    return this.withdrawable(c, await this.deps.cases.stages(c.id));
  }

  private withdrawable(c: CaseRecord, stages: StageRecord[]): CaseRecord {
    if (!this.definition(c.kind).withdrawable) throw new UserFacingError(`${c.number} 不是由您提出的申请，不能撤回。`);
    if (stages.some((s) => s.decision !== null) || !['in_review', 'blocked'].includes(c.status)) {
      throw new UserFacingError(`${c.number} 已有审批意见或已办结，不能撤回。如有需要请联系审批人。`);
    }
    return c;
  }

  /**
   * 撤回: the applicant takes the case back, with a reason, as long as nobody has decided anything
   * on it. The reason stays with the case and is told to the approvers whose task goes away.
   */
  async withdraw(caseId: number, actor: Person, reason: string, channel: string): Promise<string> {
    const now = this.now();
    await this.applicantOnly(caseId, actor, channel, 'withdraw.refused', '只有申请人本人可以撤回申请。');
    return this.deps.db.transaction(async (tx) => {
      const c = await this.deps.cases.get(caseId, tx);
      if (!c) throw new UserFacingError('没有找到这项申请。');
      if (c.applicantId !== actor.id) throw new NotAllowedError('只有申请人本人可以撤回申请。');
      const stages = await this.deps.cases.stages(c.id, tx);
      this.withdrawable(c, stages);
      if (!(await this.deps.cases.transition(tx, c.id, ['in_review', 'blocked'], 'withdrawn', now))) throw new UserFacingError(`${c.number} 的状态已变化，不能撤回。`);
      const withdrawal: Withdrawal = { at: now, by: actor.id, reason };
      await this.deps.cases.setFields(tx, c.id, { form: JSON.stringify({ ...c.form, withdrawal }) });
      for (const s of stages.filter((st) => st.status === 'pending' || st.status === 'blocked')) {
        await this.deps.cases.setStage(tx, s.id, { status: 'withdrawn' });
        if (s.assigneeId) {
          await this.deps.notifier.notify(tx, s.assigneeId, { kind: 'cardUpdate', cardId: s.cardId ?? stageCardId(s), closedLabel: '申请人已撤回' });
          await this.deps.notifier.notify(tx, s.assigneeId, {
            kind: 'text',
            text: `${c.number}（${this.definition(c.kind).title}）已由申请人${actor.name}撤回，“${this.stageDefinition(c, s).title}”无需再办理。撤回理由：${reason}`,
          });
        }
      }
      await this.deps.notifier.notify(tx, c.applicantId, { kind: 'cardUpdate', cardId: receiptCardId(c), closedLabel: '已撤回' });
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'case.withdrawn', subject: `case:${c.id}`, detail: { reason } });
      return `已撤回 ${c.number}，撤回理由已记录并告知审批人。`;
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

  /**
   * 催办: reminds the approver the case waits on, once the stage has waited the zone's setting of
   * working time, and at most once a day; both sides are told how long it has really waited.
   */
  async remind(caseId: number, actor: Person, channel: string): Promise<string> {
    const c = await this.deps.cases.get(caseId);
    // A cadre under 考察核实 does not follow the case, so has nothing to 催办.
    if (!c || !applicantFollows(this.definition(c.kind))) throw new UserFacingError('没有找到这项申请。');
    if (c.applicantId !== actor.id) throw await this.refuse(actor, channel, 'remind.refused', c.id, '只有申请人本人可以催办。');
    const stage = (await this.deps.cases.stages(c.id)).find((s) => s.status === 'pending');
    if (!stage?.assigneeId) throw new UserFacingError(`${c.number} 目前没有等待审批的环节。`);
    const stageDef = this.stageDefinition(c, stage);
    if (isExternal(stageDef)) throw new UserFacingError(`${c.number} 已呈报，正在等待${stageDef.title.replace(/答复$/, '')}答复，答复后纪（工）委会登记并通知您。`);
    const now = this.deps.clock.now();
    const { afterWorkingHours, officeHours } = this.urge;
    const opened = new Date(stage.openedAt);
    const waitedMs = workingMsBetween(opened, now, officeHours);
    const waited = waitText(waitedMs, officeHours);
    if (waitedMs < afterWorkingHours * 3_600_000) {
      const from = afterWorkingMs(opened, afterWorkingHours * 3_600_000, officeHours);
      throw new UserFacingError(
        `${c.number} 在“${stageDef.title}”环节已等待${waitedMs < 3_600_000 ? '' : ' '}${waited}（工作时间），满 ${afterWorkingHours} 个工作小时后可以催办（本区设置），即 ${minuteText(from, true)} 起。`,
      );
    }
    if (stage.remindedAt && now.getTime() - Date.parse(stage.remindedAt) < 24 * 3600 * 1000) {
      throw new UserFacingError(`${c.number} 已在 ${minuteText(new Date(stage.remindedAt))} 催办过，24 小时内只能催办一次，${minuteText(new Date(Date.parse(stage.remindedAt) + 24 * 3600 * 1000), true)} 后可再次催办。`);
    }
    await this.deps.db.transaction(async (tx) => {
      await this.deps.cases.setStage(tx, stage.id, { reminded_at: now.toISOString() });
      await this.deps.notifier.notify(tx, stage.assigneeId!, {
        kind: 'text',
        text: `【催办】${c.number}（${this.definition(c.kind).title}）在“${stageDef.title}”环节等待您的意见，已等待 ${waited}（工作时间）。申请人请您尽快办理，请在卡片上办理，或发送“我的待办”查看。`,
      });
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'stage.reminded', subject: `case:${c.id}`, detail: { stage: stage.stageKey, waitedMs } });
    });
    const assignee = await this.deps.roster.person(stage.assigneeId);
    return `已提醒${assignee?.name ?? '审批人'}尽快处理 ${c.number}（“${stageDef.title}”环节已等待 ${waited}，工作时间）。`;
  }

  /** After the roster has been fixed, finds an approver for a stage that had none. */
  async reroute(caseId: number, actor: Person, channel: string): Promise<string> {
    const now = this.now();
    return this.deps.db.transaction(async (tx) => {
      const c = await this.deps.cases.get(caseId, tx);
      const blocked = c && (await this.deps.cases.stages(c.id, tx)).find((s) => s.status === 'blocked');
      if (!c || !blocked) throw new UserFacingError('这项申请目前不需要重新分派。');
      const stageDef = this.stageDefinition(c, blocked);
      const assignee = await this.holder(stageDef, c);
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
        throw new UserFacingError(`“${task.title}”已经办结或已取消，无需操作。`);
      }
      if (this.taskDefinition(c, task.kind)?.marksReported) await this.deps.cases.setFields(tx, c.id, { reported_on: zoneDate(now) });
      await alsoDo?.(tx, (await this.deps.cases.get(c.id, tx))!);
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'task.done', subject: `case:${c.id}`, detail: { task: task.kind, note } });
      return `已办结：${c.number} ${task.title}。`;
    });
  }

  /** Creates a follow-up task of `kind` (from onGranted or laterTasks) and tells its assignee. */
  async addTask(tx: EntityManager, c: CaseRecord, kind: string, assigneeId?: number): Promise<void> {
    await this.addTasks(tx, c, [kind], assigneeId);
  }

  /**
   * Creates follow-up tasks of `kinds` and tells each assignee once: several tasks of one case
   * reaching one person at the same moment are one 【待办】 message with a line each.
   */
  async addTasks(tx: EntityManager, c: CaseRecord, kinds: string[], assigneeId?: number): Promise<void> {
    const now = this.now();
    const told = new Map<number, string[]>();
    for (const kind of kinds) {
      const task = this.taskDefinition(c, kind)!;
      const assignee =
        assigneeId !== undefined || task.role === 'applicant'
          ? await this.deps.roster.person(assigneeId ?? c.applicantId)
          : await resolveHolder(this.deps.roster, task.role, c.unitId);
      const due = task.dueAtPeriodEnd
        ? ((c.form.periodEnd as string | undefined) ?? null)
        : task.due === undefined
          ? null
          : zoneDate(new Date(Date.parse(now) + this.deadlines[task.due] * 24 * 3600 * 1000));
      await this.deps.cases.addTask(tx, { caseId: c.id, kind: task.kind, title: task.title, assigneeId: assignee?.id ?? null, dueOn: due, now });
      if (assignee) told.set(assignee.id, [...(told.get(assignee.id) ?? []), taskLine(task.title, due, task.dueAtPeriodEnd)]);
    }
    for (const [personId, lines] of told) {
      const text =
        lines.length === 1
          ? `【待办】${c.number}：${lines[0]}。发送“我的待办”查看并办理。`
          : [`【待办】${c.number} 有 ${lines.length} 项工作待您办理：`, ...lines.map((line, i) => `${i + 1}. ${line}${i === lines.length - 1 ? '。' : '；'}`), '发送“我的待办”查看并办理。'].join('\n');
      await this.deps.notifier.notify(tx, personId, { kind: 'text', text });
    }
  }

  /** Opens a stage and sends its card; `note` heads the card (why a finding is asked again). */
  private async openStage(tx: EntityManager, c: CaseRecord, stageDef: StageDefinition, seq: number, note = ''): Promise<void> {
    const now = this.now();
    const routed = await this.routed(stageDef, c);
    const assignee = routed.holder;
    const recusal = this.recusal(stageDef, routed);
    const stage = await this.deps.cases.openStage(tx, { caseId: c.id, seq, stageKey: stageDef.key, assigneeId: assignee?.id ?? null, status: assignee ? 'pending' : 'blocked', now, recusal });
    if (!assignee) {
      await this.deps.cases.transition(tx, c.id, ['in_review'], 'blocked', now);
      await this.deps.audit.append(tx, { actorId: null, action: 'case.blocked', subject: `case:${c.id}`, detail: { stage: stageDef.key, role: stageDef.role } });
      const admins = (await this.deps.roster.nearestHolders('partyAffairsAdmin', c.unitId))?.people ?? [];
      for (const admin of admins) {
        await this.deps.notifier.notify(tx, admin.id, {
          kind: 'card',
          card: {
            cardId: `wf-blk${stage.id}`,
            title: `${c.number} 无法送达审批人`,
            description: `“${stageDef.title}”：名册中找不到该申请所在单位的审批人（角色：${stageDef.role === 'applicant' ? '申请人' : ROLES[stageDef.role]}）。请补充名册后点击“重新分派”。`,
            buttons: [{ key: `wfc:${c.id}:reroute`, label: '重新分派', style: 'primary' }],
          },
        });
      }
      return;
    }
    await this.deps.cases.setStage(tx, stage.id, { card_id: stageCardId(stage) });
    for (const message of await this.stageMessages(c, stage, note, tx)) await this.deps.notifier.notify(tx, assignee.id, message);
  }

  /**
   * What a stage's decider is sent: the whole record, then the card. Also sent again when they ask
   * for a case whose card they no longer have (one carried over from before the workflow ran it).
   */
  async stageMessages(c: CaseRecord, stage: StageRecord, note = '', ex: Executor = this.deps.db): Promise<OutboundMessage[]> {
    const def = this.definition(c.kind);
    const applicant = await this.deps.roster.person(c.applicantId);
    const history = await historyOf(def, await this.deps.cases.stages(c.id, ex), this.nameOf());
    const stageDefinition = this.stageDefinition(c, stage);
    return approvalMessages({ definition: def, stageDefinition, case: c, stage, applicantName: applicant?.name ?? '', history, note, citations: await this.citations(c, ex), link: this.caseLink(c) });
  }

  /** 查看完整材料 on a case's cards. */
  caseLink(c: Pick<CaseRecord, 'number'>) {
    return caseDetailLink(this.deps.publicBaseUrl, c.number);
  }

  /** The 风险备案 a 容错 request cites, as its approvers must see it. */
  private async citations(c: CaseRecord, tx: Executor): Promise<string[]> {
    const cited = c.form.filingId ? await this.deps.cases.get(Number(c.form.filingId), tx) : undefined;
    if (!cited) return [];
    return [`关联风险备案：${cited.number}（${String(cited.form.title)}，实施期限 ${String(cited.form.periodStart)} 至 ${String(cited.form.periodEnd)}，${statusLabel(this.definition(cited.kind), cited)}）`];
  }

  /** Who holds a stage: the applicant themself, or the role's holder (never the applicant) up the unit chain. */
  private async holder(stageDef: StageDefinition, c: CaseRecord): Promise<Person | undefined> {
    return (await this.routed(stageDef, c)).holder;
  }

  private async routed(stageDef: StageDefinition, c: CaseRecord): Promise<Routed> {
    if (stageDef.role === 'applicant') return { holder: await this.deps.roster.person(c.applicantId), recused: false };
    return routeStage(this.deps.roster, stageDef.role, c.unitId, c.applicantId);
  }

  private recusal(stageDef: StageDefinition, routed: Routed): string | undefined {
    return routed.recused && routed.holder && stageDef.role !== 'applicant' ? recusalText(stageDef.role, routed.holder) : undefined;
  }

  private nameOf(): NameOf {
    return async (id) => (id === null || id === undefined ? '' : ((await this.deps.roster.person(id))?.name ?? ''));
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
    if (fresh.entry && fresh.decidedBy) {
      const decider = await this.deps.roster.person(fresh.decidedBy);
      const verb = entryVerb(this.definition(c.kind), fresh.entry, this.stageDefinition(c, fresh));
      return `${c.number} 的这一环节已处理（${closedLabel(verb, decider?.name ?? '', new Date(fresh.decidedAt!))}），无需重复操作。`;
    }
    return `${c.number} 目前不在等待您审批的状态，无需操作。`;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

/** 2026-12-01 15:30, in the zone; a moment something becomes possible is rounded up to its minute. */
function minuteText(at: Date, roundUp = false): string {
  const minute = roundUp ? new Date(Math.ceil(at.getTime() / 60_000) * 60_000) : at;
  return `${zoneDate(minute)} ${new Date(minute.getTime() + 8 * 3_600_000).toISOString().slice(11, 16)}`;
}
