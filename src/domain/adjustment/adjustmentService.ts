import type { DataSource, EntityManager } from 'typeorm';
import type { OutboundMessage } from '../../channels/port';
import type { Clock } from '../../clock';
import { UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import { scheduleJob } from '../../scheduling/scheduler';
import { update } from '../../storage/sql';
import type { AuditLog, Refusals } from '../audit';
import type { Notifier } from '../notifier';
import type { CadreAdjustments } from '../talks/adjustments';
import type { CaseRepository } from '../workflow/caseRepository';
import type { StageEntry } from '../workflow/record';
import type { CaseRecord } from '../workflow/types';
import type { Workflow } from '../workflow/workflow';
import { adjustmentForm, AUTHORITY_WORDS, carveOutOf, type AdjustmentForm, type Authority, type Decision } from './definition';
import { influenceEndedJob, influenceOf } from './influence';
import { CARVE_OUTS, causeLabel, EARLY_RETIREMENT_NOTE, WAYS, type CarveOut, type CauseArticle, type Way } from './policy';
import { TriggerRecords, type TriggerRecord } from './triggerRecords';

const TRIGGER_DONE: Record<TriggerRecord['status'], string> = { open: '尚待处理', case_opened: '已经立案', dismissed: '已不予立案', lapsed: '因考核数据更正已不再成立' };

export interface OpenCase {
  draftKey: string;
  personId: number;
  article: CauseArticle;
  item: number | null;
  facts: string;
  triggerId: number | null;
  carveOut: CarveOut | null;
  actor: Person;
  channel: string;
}

/** 考察核实: what it found, and how. */
export interface Inspection {
  verdict: 'confirmed' | 'unfounded' | CarveOut;
  summary: string;
}

export interface ProposalInput {
  way: Way;
  authority: Authority;
  opinion: string;
}

/** 组织决定 as the dialogue gives it: to adjust (with the way and its facts) or not. */
export interface DecisionInput {
  adjust: boolean;
  way?: Way;
  effectiveOn?: string;
  decidedBy: string;
  unsuitable?: boolean;
  earlyRetirement?: boolean;
}

export interface TalkInput {
  talkedOn: string;
  talker: { id: number; name: string };
  summary: string;
}

/** One stage recorded: the case as it is now and what the recorder is told. */
export interface StageRecorded {
  record: CaseRecord;
  text: string;
}

/** “按照有关规定办理”: what a case stopped by 第五条 says. */
export const carveOutNotice = (carveOut: CarveOut): string =>
  `${CARVE_OUTS[carveOut]}：《能上能下办法》第五条：“对因健康原因调整以及涉及问责追责和违纪违法的，按照有关规定办理”。本案不按本办法的调整程序办理，已记录并终止。`;

/**
 * 组织调整 use cases (《能上能下办法》第十二条) on the workflow: open a case from a 第八条 trigger or
 * by hand, stop it at once when 第五条 sends it elsewhere, and record each stage; the 组织决定 sets
 * 第十三条's influence period (and 第十五条's notice) and 第十四条's talks in its own transaction.
 */
export class AdjustmentService {
  readonly triggers: TriggerRecords;

  constructor(
    private readonly deps: {
      db: DataSource; workflow: Workflow; cases: CaseRepository; roster: RosterRepository; notifier: Notifier; audit: AuditLog; refusals: Refusals; clock: Clock; talks: CadreAdjustments;
    },
  ) {
    this.triggers = new TriggerRecords(deps.db);
  }

  /** 组织人事部门 and 党群工作部 may open cases; 组织人事部门 handles the 第八条 triggers. */
  async mayOpen(personId: number): Promise<boolean> {
    return this.deps.roster.holdsAnyRole(personId, 'personnelOfficer', 'partyAffairsAdmin');
  }

  async mayHandle(personId: number): Promise<boolean> {
    return this.deps.roster.holdsAnyRole(personId, 'personnelOfficer');
  }

  async open(input: OpenCase): Promise<{ record: CaseRecord; messages: OutboundMessage[] }> {
    const done = await this.deps.cases.byDraft(input.draftKey);
    if (done) return { record: done, messages: [{ kind: 'text', text: `${done.number} 已立案，无需重复提交。` }] };
    if (!(await this.mayOpen(input.actor.id))) {
      throw await this.deps.refusals.refuse({ actorId: input.actor.id, channel: input.channel, action: 'adjustment.open.refused', subject: `person:${input.personId}` }, '组织调整由组织人事部门立案（《能上能下办法》第十六条：组织人事部门承担具体工作责任）。');
    }
    const cadre = await this.deps.roster.person(input.personId);
    if (!cadre) throw new UserFacingError('名册中没有这位干部。');
    const form: AdjustmentForm = {
      applicantName: cadre.name, unitName: (await this.deps.roster.unit(cadre.unitId))?.name ?? '', post: cadre.post, article: input.article, item: input.item,
      facts: input.facts, triggerId: input.triggerId, openedBy: input.actor.id, openedAt: this.deps.clock.now().toISOString(),
    };
    const record = await this.deps.workflow.submit(
      'adjustment',
      {
        applicant: cadre, filedBy: input.actor, draftKey: input.draftKey, unitId: cadre.unitId, matterId: null, integrated: false, path: 'ordinary',
        form: { ...form }, channel: input.channel, concludes: input.carveOut ?? undefined,
      },
      async (tx, c) => {
        if (input.triggerId === null) return;
        const now = this.deps.clock.now().toISOString();
        if (!(await this.triggers.close(tx, input.triggerId, { status: 'case_opened', caseId: c.id, by: input.actor.id, now }))) {
          throw new UserFacingError('这条预警已经处理过了（已立案或不予立案），请以最新的消息为准。');
        }
        await this.closeTriggerCards(tx, (await this.triggers.get(input.triggerId, tx))!, input.actor, `${input.actor.name}已立案 ${c.number}`);
      },
    );
    const cause = `《能上能下办法》${causeLabel(input.article, input.item)}`;
    if (input.carveOut) return { record, messages: [{ kind: 'text', text: `已登记 ${record.number}（${cadre.name}，${cause}）。${carveOutNotice(input.carveOut)}` }] };
    const [first] = await this.deps.workflow.route(record);
    const next = `${first.title}（${first.assignee?.name ?? '待补充名册'}）`;
    return { record, messages: [{ kind: 'text', text: `已立案 ${record.number}：${cadre.name}，${cause}。下一步：${next}（《能上能下办法》第十二条）。` }] };
  }

  /** A trigger card's button: 组织人事部门 only, and only while the trigger is open. */
  async checkTrigger(triggerId: number, actor: Person, channel: string): Promise<TriggerRecord> {
    const t = await this.triggers.get(triggerId);
    if (!t) throw new UserFacingError('没有找到这条预警。');
    if (!(await this.mayHandle(actor.id))) {
      throw await this.deps.refusals.refuse({ actorId: actor.id, channel, action: 'adjustment.trigger.refused', subject: `trigger:${t.id}` }, '能上能下预警由组织人事部门处理。');
    }
    if (t.status !== 'open') throw new UserFacingError(`这条预警${TRIGGER_DONE[t.status]}，请以最新的消息为准。`);
    return t;
  }

  /** 不予立案, with the reason; the other officers' cards are greyed out. */
  async dismissTrigger(triggerId: number, actor: Person, reason: string, channel: string): Promise<string> {
    const t = await this.checkTrigger(triggerId, actor, channel);
    const now = this.deps.clock.now().toISOString();
    await this.deps.db.transaction(async (tx) => {
      if (!(await this.triggers.close(tx, t.id, { status: 'dismissed', by: actor.id, note: reason, now }))) throw new UserFacingError('这条预警刚刚已由他人处理。');
      await this.deps.audit.append(tx, { actorId: actor.id, channel, action: 'adjustment.trigger.dismissed', subject: `trigger:${t.id}`, detail: { reason } });
      await this.closeTriggerCards(tx, t, actor, `${actor.name}：不予立案`);
    });
    return `已记录：${causeLabel(8, t.item)}预警不予立案。理由：${reason}`;
  }

  private async closeTriggerCards(tx: EntityManager, t: TriggerRecord, actor: Person, label: string): Promise<void> {
    const unitId = t.personId === null ? t.unitId! : ((await this.deps.roster.person(t.personId))?.unitId ?? t.unitId!);
    for (const officer of await this.officersFor(unitId)) {
      if (officer.id !== actor.id) await this.deps.notifier.notify(tx, officer.id, { kind: 'cardUpdate', cardId: `adj-trg-${t.id}`, closedLabel: label });
    }
  }

  /** 考察核实: 情况属实 moves on; nothing to adjust, or a 第五条 matter, ends the case. */
  async inspect(stageId: number, actor: Person, i: Inspection, channel: string): Promise<StageRecorded> {
    return this.record(stageId, actor, channel, { kind: 'finding', verdict: i.verdict, opinion: i.summary, criteria: [], outcomes: [] });
  }

  async propose(stageId: number, actor: Person, p: ProposalInput, channel: string): Promise<StageRecorded> {
    const details = [{ key: 'authority', label: '管理权限', value: AUTHORITY_WORDS[p.authority] }, { key: 'way', label: '调整方式', value: p.way }];
    return this.record(stageId, actor, channel, { kind: 'record', opinion: p.opinion, details }, async () => ({ proposal: { way: p.way, authority: p.authority } }));
  }

  /** 组织决定: to adjust, with 第十三条's period and its 第十五条 notice, the 提前退休 sentence and 第十四条's talks; or not to. */
  async decide(stageId: number, actor: Person, d: DecisionInput, channel: string): Promise<StageRecorded> {
    if (d.adjust && (!d.way || !(WAYS as readonly string[]).includes(d.way))) throw new UserFacingError('请选择调整方式。');
    if (d.adjust && (!d.effectiveOn || !/^\d{4}-\d{2}-\d{2}$/.test(d.effectiveOn))) throw new UserFacingError('请填写调整决定的生效日期。');
    const opinion = d.adjust
      ? `${d.way}，${d.effectiveOn} 生效（${d.decidedBy}）；${d.unsuitable ? '因不适宜担任现职' : '非因不适宜担任现职'}${d.earlyRetirement ? '；本人因个人原因（非身体原因）申请提前退休' : ''}`
      : `不予调整（${d.decidedBy}）`;
    const notes: string[] = [];
    const recorded = await this.record(stageId, actor, channel, { kind: 'finding', verdict: d.adjust ? 'adjust' : 'none', opinion, criteria: [], outcomes: [] }, async (tx, c) => {
      if (!d.adjust) return {};
      const influence = influenceOf(d.way!, d.unsuitable === true, d.effectiveOn!);
      const decision: Decision = {
        way: d.way!, effectiveOn: d.effectiveOn!, decidedBy: d.decidedBy, unsuitable: d.unsuitable === true, earlyRetirement: d.earlyRetirement === true, influenceUntil: influence?.until ?? null,
      };
      if (influence) {
        notes.push(`影响期至 ${influence.until}（《能上能下办法》第十三条：因不适宜担任现职${d.way}的，${influence.effect}）。`);
        await scheduleJob(tx, influenceEndedJob(c.id, influence.until));
      } else {
        notes.push(decision.unsuitable ? `《能上能下办法》第十三条未对“${d.way}”规定影响期。` : '未认定因不适宜担任现职调整，不适用《能上能下办法》第十三条的影响期。');
      }
      if (decision.earlyRetirement) notes.push(EARLY_RETIREMENT_NOTE);
      const { secretary } = await this.deps.talks.record(tx, {
        caseId: c.id, caseNumber: c.number, personId: c.applicantId, way: decision.way, adjustedOn: decision.effectiveOn, influence, recordedBy: actor, channel,
      });
      notes.push(secretary ? `已通知其所在单位党组织书记${secretary.name}定期与其谈心谈话（《能上能下办法》第十四条）。` : '名册中未找到其所在单位的党组织书记，请补充名册后安排谈心谈话（第十四条）。');
      return { decision };
    });
    return { ...recorded, text: [recorded.text, ...notes].join('') };
  }

  async talk(stageId: number, actor: Person, t: TalkInput, channel: string): Promise<StageRecorded> {
    const details = [{ key: 'talkedOn', label: '谈话日期', value: t.talkedOn }, { key: 'talker', label: '谈话人', value: t.talker.name }];
    return this.record(stageId, actor, channel, { kind: 'record', opinion: t.summary, details });
  }

  /**
   * Records a stage through the workflow (which checks it is this person's, and still open); what
   * `change` returns is merged into the case's form in the same transaction.
   */
  private async record(
    stageId: number, actor: Person, channel: string, entry: StageEntry,
    change?: (tx: EntityManager, c: CaseRecord) => Promise<Partial<AdjustmentForm>>,
  ): Promise<StageRecorded> {
    const said = await this.deps.workflow.decide({ stageId, actor, entry, channel }, change && (async (tx, c) => {
      await update(tx, 'cases', { form: JSON.stringify({ ...c.form, ...(await change(tx, c)) }) }, 'id = ?', [c.id]);
    }));
    const stage = (await this.deps.cases.stage(stageId))!;
    const record = (await this.deps.cases.get(stage.caseId))!;
    return { record, text: `${said}${statusLine(record)}` };
  }

  /** 组织人事部门 for the cadre's unit: who gets the trigger cards and the 第十五条 notice. */
  async officersFor(unitId: number): Promise<Person[]> {
    return (await this.deps.roster.nearestHolders('personnelOfficer', unitId))?.people ?? [];
  }
}

/** How a case stands once a stage is recorded: ended (and why), done, or what the proposal was. */
export function statusLine(c: CaseRecord): string {
  const carveOut = carveOutOf(c);
  if (c.status === 'rejected') return carveOut ? carveOutNotice(carveOut) : '案件办结，未作调整。';
  if (c.status === 'granted') return '程序已完成（《能上能下办法》第十二条）。';
  const { proposal, decision } = adjustmentForm(c);
  return !decision && proposal ? `建议：${AUTHORITY_WORDS[proposal.authority]}，${proposal.way}。` : '';
}
