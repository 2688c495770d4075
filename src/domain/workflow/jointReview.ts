import type { DataSource } from 'typeorm';
import type { Clock } from '../../clock';
import { UserFacingError } from '../../errors';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { Person } from '../../roster/types';
import type { AuditLog } from '../audit';
import type { Notifier } from '../notifier';
import { decisionButtons, stageCardId } from './cards';
import type { CaseRepository } from './caseRepository';
import { fullRecordText } from './fullRecord';
import { historyOf } from './history';
import type { Workflow } from './workflow';

export const STANCES = ['同意', '有条件同意', '不同意'] as const;

/**
 * 集体会审 (《容错细则》第六条（二）2): the 纪（工）委 picks the participants, each gives an
 * opinion on a card of their own, and once all have answered the 纪（工）委 records the joint
 * opinion as the stage's decision.
 */
export class JointReview {
  constructor(
    private readonly deps: {
      db: DataSource;
      cases: CaseRepository;
      workflow: Workflow;
      roster: RosterRepository;
      notifier: Notifier;
      audit: AuditLog;
      clock: Clock;
    },
  ) {}

  async request(stageId: number, coordinator: Person, participantIds: number[], channel: string): Promise<string> {
    const { c, stage } = await this.deps.workflow.checkDecider(stageId, coordinator, channel);
    if (this.deps.workflow.stageDefinition(c, stage).kind !== 'jointReview') throw new UserFacingError('这一环节不需要集体会审。');
    const participants = [...new Set(participantIds)].filter((id) => id !== coordinator.id && id !== c.applicantId);
    if (participants.length === 0) throw new UserFacingError('请至少选择一位会审人员（不含您本人和申请人）。');
    const now = this.deps.clock.now().toISOString();
    return this.deps.db.transaction(async (tx) => {
      if ((await this.deps.cases.reviews(stage.id, tx)).length > 0) throw new UserFacingError(`${c.number} 已经发起过集体会审。`);
      const reviews = await this.deps.cases.addReviews(tx, stage.id, participants, now);
      const def = this.deps.workflow.definition(c.kind);
      const title = def.title;
      const applicantName = String(c.form.applicantName ?? '');
      const nameOf = async (id: number | null | undefined) => (id ? ((await this.deps.roster.person(id))?.name ?? '') : '');
      const history = await historyOf(def, await this.deps.cases.stages(c.id, tx), nameOf);
      const link = this.deps.workflow.caseLink(c);
      // Each participant reads the whole record before giving an opinion, as every approver does.
      const record = fullRecordText({ definition: def, case: c, applicantName, history, detailUrl: link?.url });
      for (const review of reviews) {
        await this.deps.notifier.notify(tx, review.reviewerId, { kind: 'text', text: record });
        await this.deps.notifier.notify(tx, review.reviewerId, {
          kind: 'card',
          card: {
            cardId: `wf-rv${review.id}`,
            title: `请对 ${c.number} 提出会审意见`,
            description: `${coordinator.name}（纪工委）牵头对这项${title}进行集体会审（《容错细则》第六条（二）2）。`,
            fields: def.headline(c, applicantName),
            buttons: [{ key: `wfr:${review.id}:opine`, label: '提出会审意见', style: 'primary' }],
            ...(link ? { link } : {}),
          },
        });
      }
      const names = (await Promise.all(participants.map((id) => this.deps.roster.person(id)))).map((p) => p?.name ?? '').join('、');
      await this.deps.notifier.notify(tx, coordinator.id, { kind: 'cardUpdate', cardId: stage.cardId ?? stageCardId(stage), closedLabel: `已发起集体会审：${names}` });
      await this.deps.audit.append(tx, { actorId: coordinator.id, channel, action: 'review.requested', subject: `case:${c.id}`, detail: { participants } });
      return `已请 ${names} 对 ${c.number} 提出会审意见，意见齐后会通知您填写会审意见。`;
    });
  }

  /** Checks that `reviewer` owes this opinion, without changing anything; a refusal is audited. */
  async checkReviewer(reviewId: number, reviewer: Person, channel = ''): Promise<{ caseNumber: string }> {
    const review = await this.deps.cases.review(reviewId);
    const stage = review && (await this.deps.cases.stage(review.stageId));
    const c = stage && (await this.deps.cases.get(stage.caseId));
    if (!review || !stage || !c) throw new UserFacingError('没有找到这项会审。');
    if (review.reviewerId !== reviewer.id) {
      const refusal = { actorId: reviewer.id, channel, action: 'review.refused' as const, subject: `case:${c.id}`, detail: { reviewId } };
      throw await this.deps.audit.refusal(this.deps.db, refusal, `您不是 ${c.number} 的会审人员。`);
    }
    if (review.status !== 'pending' || stage.status !== 'pending') throw new UserFacingError(`您已经对 ${c.number} 提出过会审意见，或会审已结束。`);
    return { caseNumber: c.number };
  }

  async record(reviewId: number, reviewer: Person, stance: string, opinion: string, channel: string): Promise<string> {
    const { caseNumber } = await this.checkReviewer(reviewId, reviewer, channel);
    const now = this.deps.clock.now().toISOString();
    return this.deps.db.transaction(async (tx) => {
      const review = (await this.deps.cases.review(reviewId, tx))!;
      if (!(await this.deps.cases.closeReview(tx, reviewId, stance, opinion, now))) throw new UserFacingError(`您已经对 ${caseNumber} 提出过会审意见。`);
      await this.deps.notifier.notify(tx, reviewer.id, { kind: 'cardUpdate', cardId: `wf-rv${reviewId}`, closedLabel: `已提出意见：${stance}` });
      const stage = (await this.deps.cases.stage(review.stageId, tx))!;
      const c = (await this.deps.cases.get(stage.caseId, tx))!;
      await this.deps.audit.append(tx, { actorId: reviewer.id, channel, action: 'review.given', subject: `case:${c.id}`, detail: { stance, opinion } });
      const reviews = await this.deps.cases.reviews(stage.id, tx);
      if (reviews.every((r) => r.status === 'done') && stage.assigneeId) {
        const lines = await Promise.all(
          reviews.map(async (r) => `${(await this.deps.roster.person(r.reviewerId))?.name ?? ''}：${r.stance}。${r.opinion}`),
        );
        const cardId = `wf-rvdone${stage.id}`;
        await this.deps.cases.setStage(tx, stage.id, { card_id: cardId });
        await this.deps.notifier.notify(tx, stage.assigneeId, { kind: 'text', text: [`${c.number} 的会审意见（${reviews.length}/${reviews.length}）：`, ...lines].join('\n') });
        const link = this.deps.workflow.caseLink(c);
        await this.deps.notifier.notify(tx, stage.assigneeId, {
          kind: 'card',
          card: {
            cardId,
            title: `${c.number} 会审意见已齐`,
            description: `${reviews.length} 位会审人员的意见见上一条消息。请填写会审意见。`,
            buttons: decisionButtons(stage),
            ...(link ? { link } : {}),
          },
        });
      }
      return `已记录您对 ${caseNumber} 的会审意见。`;
    });
  }
}
