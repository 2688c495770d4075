import type { DataSource, EntityManager } from 'typeorm';
import type { OutboundMessage } from '../../channels/port';
import type { Clock } from '../../clock';
import { zoneDate } from '../../clock';
import { UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import { scheduleJob } from '../../scheduling/scheduler';
import { isDuplicateKey } from '../../storage/dataSource';
import { insert, select, update } from '../../storage/sql';
import type { AuditLog, Refusals } from '../audit';
import type { Notifier } from '../notifier';
import type { CadreAdjustments } from '../talks/adjustments';
import { AUTHORITY_WORDS, CaseRecords, type AdjustmentCase, type DecisionData, type StageData } from './caseRecords';
import { nextStage, stageOf, type StageKey } from './definition';
import { influenceEndedJob, influenceOf } from './influence';
import { CARVE_OUTS, causeLabel, EARLY_RETIREMENT_TEXT, WAYS, type CarveOut, type CauseArticle } from './policy';
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

export interface AdvanceCase<K extends StageKey> {
  caseId: number;
  stage: K;
  data: StageData[K];
  draftKey: string;
  actor: Person;
  channel: string;
}

export interface CaseResult {
  c: AdjustmentCase;
  messages: OutboundMessage[];
}

/** “按照有关规定办理”: what a case stopped by 第五条 says. */
export const carveOutNotice = (carveOut: CarveOut): string =>
  `${CARVE_OUTS[carveOut]}：《能上能下办法》第五条：“对因健康原因调整以及涉及问责追责和违纪违法的，按照有关规定办理”。本案不按本办法的调整程序办理，已记录并终止。`;

/**
 * 组织调整 cases (能上能下办法 第十二条): opened from a 第八条 trigger card or by hand under
 * 第七–十一条, stopped at once when 第五条 sends them elsewhere, then taken stage by stage. The
 * decision is what sets 第十三条's influence period, 第十四条's talks and 第十五条's notice.
 */
export class AdjustmentCases {
  readonly records: CaseRecords;
  private readonly triggers: TriggerRecords;

  constructor(
    private readonly deps: {
      db: DataSource; clock: Clock; roster: RosterRepository; notifier: Notifier; audit: AuditLog; refusals: Refusals; talks: CadreAdjustments;
    },
  ) {
    this.records = new CaseRecords(deps.db);
    this.triggers = new TriggerRecords(deps.db);
  }

  /** 组织人事部门 and 党群工作部 may open cases; 组织人事部门 takes them through the stages. */
  async mayOpen(personId: number): Promise<boolean> {
    return this.deps.roster.holdsAnyRole(personId, 'personnelOfficer', 'partyAffairsAdmin');
  }

  async mayHandle(personId: number): Promise<boolean> {
    return this.deps.roster.holdsAnyRole(personId, 'personnelOfficer');
  }

  async open(input: OpenCase): Promise<CaseResult> {
    const done = await this.records.byDraft(input.draftKey);
    if (done) return { c: done, messages: [{ kind: 'text', text: `${done.number} 已立案，无需重复提交。` }] };
    if (!(await this.mayOpen(input.actor.id))) {
      throw await this.deps.refusals.refuse({ actorId: input.actor.id, channel: input.channel, action: 'adjustment.open.refused', subject: `person:${input.personId}` }, '组织调整由组织人事部门立案（《能上能下办法》第十六条：组织人事部门承担具体工作责任）。');
    }
    const cadre = await this.deps.roster.person(input.personId);
    if (!cadre) throw new UserFacingError('名册中没有这位干部。');
    const now = this.deps.clock.now().toISOString();
    const c = await this.deps.db.transaction(async (tx) => {
      if (input.triggerId !== null && !(await this.triggers.close(tx, input.triggerId, { status: 'case_opened', by: input.actor.id, now }))) {
        throw new UserFacingError('这条预警已经处理过了（已立案或不予立案），请以最新的消息为准。');
      }
      const number = await this.insertCase(tx, input, cadre, now);
      const opened = (await this.records.byDraft(input.draftKey, tx))!;
      if (input.triggerId !== null) {
        await update(tx, 'adjustment_triggers', { case_id: opened.id }, 'id = ?', [input.triggerId]);
        await this.closeTriggerCards(tx, (await this.triggers.get(input.triggerId, tx))!, input.actor, `${input.actor.name}已立案 ${number}`);
      }
      await this.deps.audit.append(tx, {
        actorId: input.actor.id, channel: input.channel, action: input.carveOut ? 'adjustment.referred' : 'adjustment.opened', subject: `adjustment:${opened.id}`,
        detail: { number, cause: causeLabel(input.article, input.item), trigger: input.triggerId, carveOut: input.carveOut },
      });
      return opened;
    });
    const cause = `《能上能下办法》${causeLabel(c.article, c.item)}`;
    if (c.carveOut) return { c, messages: [{ kind: 'text', text: `已登记 ${c.number}（${cadre.name}，${cause}）。${carveOutNotice(c.carveOut)}` }] };
    return { c, messages: [{ kind: 'text', text: `已立案 ${c.number}：${cadre.name}，${cause}。下一步：考察核实（《能上能下办法》第十二条）。` }, await this.stageCard(c, 'inspection')] };
  }

  private async insertCase(tx: EntityManager, input: OpenCase, cadre: Person, now: string): Promise<string> {
    const year = zoneDate(this.deps.clock.now()).slice(0, 4);
    for (let attempt = 0; ; attempt++) {
      const [{ n }] = await select<{ n: number }>(tx, 'SELECT COUNT(*) AS n FROM adjustment_cases WHERE number LIKE ?', [`TZ${year}-%`]);
      const number = `TZ${year}-${String(Number(n) + 1 + attempt).padStart(4, '0')}`;
      try {
        await insert(tx, 'adjustment_cases', {
          number, draft_key: input.draftKey, person_id: cadre.id, unit_id: cadre.unitId, article: input.article, item: input.item, trigger_id: input.triggerId,
          facts: input.facts, carve_out: input.carveOut, stage: input.carveOut ? 'done' : 'inspection', status: input.carveOut ? 'referred' : 'open',
          opened_by: input.actor.id, opened_at: now, updated_at: now,
        });
        return number;
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= 5) throw error;
        if (await this.records.byDraft(input.draftKey, tx)) throw new UserFacingError('这次立案已经提交过了。');
      }
    }
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
    for (const officer of await this.officersFor({ unitId })) {
      if (officer.id !== actor.id) await this.deps.notifier.notify(tx, officer.id, { kind: 'cardUpdate', cardId: `adj-trg-${t.id}`, closedLabel: label });
    }
  }

  /** The card that starts recording a stage; its button is a command checked against the case's state. */
  async stageCard(c: AdjustmentCase, key: StageKey): Promise<OutboundMessage> {
    const stage = stageOf(key);
    const cadre = await this.deps.roster.person(c.personId);
    const hint = key === 'decision' && c.authority === 'suggest' ? '已建议上级调整的，待上级作出决定后登记。' : '';
    return {
      kind: 'card',
      card: {
        cardId: `adj-${c.id}-${key}`,
        title: `${c.number} ${cadre?.name ?? ''}：${stage.title}`,
        description: `《能上能下办法》${causeLabel(c.article, c.item)}。${c.facts}\n下一步：${stage.title}（依据${stage.basis}）。${hint}`,
        buttons: [{ key: `adj:${c.id}:${key}`, label: `填写${stage.title}`, style: 'primary' }],
      },
    };
  }

  /** A stage's button: the case must be open and at that stage, and the person 组织人事部门. */
  async checkStage(caseId: number, key: StageKey, actor: Person, channel: string): Promise<AdjustmentCase> {
    const c = await this.records.get(caseId);
    if (!c) throw new UserFacingError('没有找到这件调整案件。');
    if (!(await this.mayHandle(actor.id))) {
      throw await this.deps.refusals.refuse({ actorId: actor.id, channel, action: 'adjustment.stage.refused', subject: `adjustment:${c.id}`, detail: { stage: key } }, `${c.number} 由组织人事部门办理。`);
    }
    if (c.status !== 'open' || c.stage !== key) throw new UserFacingError(`${c.number} 的“${stageOf(key).title}”已经登记过了，或案件已${c.status === 'open' ? '进入下一环节' : '办结'}。`);
    return c;
  }

  /** Records one stage and moves the case on; a second submit of the same draft, or a stale card, changes nothing. */
  async advance<K extends StageKey>(input: AdvanceCase<K>): Promise<CaseResult> {
    const now = this.deps.clock.now().toISOString();
    const stage = stageOf(input.stage);
    const repeated = await this.records.stageByDraft(input.draftKey, this.deps.db);
    if (repeated) {
      const c = (await this.records.get(repeated.caseId))!;
      return { c, messages: [{ kind: 'text', text: `${c.number} 的“${stage.title}”已经登记。` }] };
    }
    const before = await this.checkStage(input.caseId, input.stage, input.actor, input.channel);
    if (input.stage === 'decision') checkDecision(input.data as DecisionData);
    const outcome = await this.deps.db.transaction(async (tx) => {
      const { next, status, fields } = this.transition(input);
      const moved = await update(tx, 'adjustment_cases', { stage: next, status, updated_at: now, ...fields }, `id = ? AND stage = ? AND status = 'open'`, [before.id, input.stage]);
      if (moved !== 1) throw new UserFacingError(`${before.number} 的“${stage.title}”刚刚已由他人登记。`);
      await insert(tx, 'adjustment_stages', { case_id: before.id, stage: input.stage, draft_key: input.draftKey, data: JSON.stringify(input.data), done_by: input.actor.id, done_at: now });
      await this.deps.audit.append(tx, { actorId: input.actor.id, channel: input.channel, action: `adjustment.${input.stage}`, subject: `adjustment:${before.id}`, detail: { ...input.data } });
      const c = (await this.records.get(before.id, tx))!;
      const notes = input.stage === 'decision' ? await this.applyDecision(tx, c, input.data as DecisionData, input.actor, input.channel) : [];
      for (const officer of await this.officersFor(c)) {
        if (officer.id !== input.actor.id) await this.deps.notifier.notify(tx, officer.id, { kind: 'cardUpdate', cardId: `adj-${c.id}-${input.stage}`, closedLabel: `${input.actor.name}已登记${stage.title}` });
      }
      return { c, notes };
    });
    const { c, notes } = outcome;
    const said = [`已登记 ${c.number} 的${stage.title}。`, ...notes, this.statusLine(c)].join('');
    const messages: OutboundMessage[] = [{ kind: 'text', text: said }];
    if (c.status === 'open' && c.stage !== 'done') messages.push(await this.stageCard(c, c.stage));
    return { c, messages };
  }

  private transition<K extends StageKey>(input: AdvanceCase<K>): { next: string; status: string; fields: Record<string, unknown> } {
    const next = nextStage(input.stage);
    if (input.stage === 'inspection') {
      const data = input.data as StageData['inspection'];
      if (data.finding === 'carve-out') return { next: 'done', status: 'referred', fields: { carve_out: data.carveOut } };
      if (data.finding === 'unfounded') return { next: 'done', status: 'dropped', fields: {} };
    }
    if (input.stage === 'proposal') {
      const data = input.data as StageData['proposal'];
      return { next, status: 'open', fields: { way: data.way, authority: data.authority } };
    }
    if (input.stage === 'decision') {
      const data = input.data as DecisionData;
      if (data.outcome === 'none') return { next: 'done', status: 'dropped', fields: {} };
      const influence = influenceOf(data.way!, data.unsuitable === true, data.effectiveOn!);
      return {
        next, status: 'open',
        fields: { way: data.way, unsuitable: data.unsuitable ? 1 : 0, early_retirement: data.earlyRetirement ? 1 : 0, effective_on: data.effectiveOn, influence_until: influence?.until ?? null },
      };
    }
    return { next, status: next === 'done' ? 'closed' : 'open', fields: {} };
  }

  /** 组织决定 to adjust: 第十三条's period (and its 第十五条 notice), the 提前退休 sentence, 第十四条's talks. */
  private async applyDecision(tx: EntityManager, c: AdjustmentCase, data: DecisionData, actor: Person, channel: string): Promise<string[]> {
    if (data.outcome === 'none') return [`经组织决定不予调整。`];
    const influence = influenceOf(data.way!, data.unsuitable === true, data.effectiveOn!);
    const notes: string[] = [];
    if (influence) {
      notes.push(`影响期至 ${influence.until}（《能上能下办法》第十三条：因不适宜担任现职${data.way}的，${influence.effect}）。`);
      await scheduleJob(tx, influenceEndedJob(c.id, influence.until));
    } else {
      notes.push(data.unsuitable ? `《能上能下办法》第十三条未对“${data.way}”规定影响期。` : `未认定因不适宜担任现职调整，不适用《能上能下办法》第十三条的影响期。`);
    }
    if (data.earlyRetirement) notes.push(`本人因个人原因（非身体原因）申请提前退休：《能上能下办法》第十三条：“${EARLY_RETIREMENT_TEXT}”。`);
    const { secretary } = await this.deps.talks.record(tx, {
      caseId: c.id, caseNumber: c.number, personId: c.personId, way: data.way!, adjustedOn: data.effectiveOn!, influence, recordedBy: actor, channel,
    });
    notes.push(secretary ? `已通知其所在单位党组织书记${secretary.name}定期与其谈心谈话（《能上能下办法》第十四条）。` : '名册中未找到其所在单位的党组织书记，请补充名册后安排谈心谈话（第十四条）。');
    return notes;
  }

  private statusLine(c: AdjustmentCase): string {
    if (c.status === 'referred' && c.carveOut) return carveOutNotice(c.carveOut);
    if (c.status === 'dropped') return '案件办结，未作调整。';
    if (c.status === 'closed') return `程序已完成（《能上能下办法》第十二条）。`;
    return c.stage === 'decision' && c.authority ? `建议：${AUTHORITY_WORDS[c.authority]}，${c.way}。` : '';
  }

  /** 查看调整 TZ2026-0001: the case and each stage recorded, in order. */
  async timeline(c: AdjustmentCase): Promise<string> {
    const cadre = await this.deps.roster.person(c.personId);
    const lines = [`【${c.number}】${cadre?.name ?? ''}：《能上能下办法》${causeLabel(c.article, c.item)}`, `事实和依据：${c.facts}`, `立案：${c.openedAt.slice(0, 10)}`];
    for (const s of await this.records.stages(c.id)) lines.push(`${stageOf(s.stage).title}（${s.doneByName}，${s.doneAt.slice(0, 10)}）：${stageSummary(s.stage, s.data)}`);
    lines.push(this.statusLine(c) || `当前环节：${c.stage === 'done' ? '' : stageOf(c.stage).title}`);
    if (c.influenceUntil) lines.push(`影响期至 ${c.influenceUntil}（《能上能下办法》第十三条）。`);
    return lines.join('\n');
  }

  /** 组织人事部门 for the cadre's unit: who gets a case's cards and its 第十五条 notice. */
  async officersFor(c: Pick<AdjustmentCase, 'unitId'>): Promise<Person[]> {
    return (await this.deps.roster.nearestHolders('personnelOfficer', c.unitId))?.people ?? [];
  }
}

function stageSummary(stage: StageKey, data: StageData[StageKey]): string {
  switch (stage) {
    case 'inspection': {
      const d = data as StageData['inspection'];
      const finding = d.finding === 'confirmed' ? '情况属实' : d.finding === 'unfounded' ? '不属于不适宜担任现职，不予调整' : `${CARVE_OUTS[d.carveOut!]}，按有关规定办理`;
      return `${finding}。${d.summary}`;
    }
    case 'proposal': {
      const d = data as StageData['proposal'];
      return `${AUTHORITY_WORDS[d.authority]}，${d.way}。${d.opinion}`;
    }
    case 'decision': {
      const d = data as StageData['decision'];
      return d.outcome === 'none'
        ? `不予调整（${d.decidedBy}）`
        : `${d.way}，${d.effectiveOn} 生效（${d.decidedBy}）；${d.unsuitable ? '因不适宜担任现职' : '非因不适宜担任现职'}${d.earlyRetirement ? '；本人因个人原因（非身体原因）申请提前退休' : ''}`;
    }
    default: {
      const d = data as StageData['talk'];
      return `${d.talkedOn} ${d.talkerName}谈话。${d.summary}`;
    }
  }
}

/** A decision to adjust names a way of 第五条 and the day it takes effect. */
function checkDecision(d: DecisionData): void {
  if (d.outcome !== 'adjust') return;
  if (!d.way || !(WAYS as readonly string[]).includes(d.way)) throw new UserFacingError('请选择调整方式。');
  if (!d.effectiveOn || !/^\d{4}-\d{2}-\d{2}$/.test(d.effectiveOn)) throw new UserFacingError('请填写调整决定的生效日期。');
}
