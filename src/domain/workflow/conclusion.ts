import type { EntityManager } from 'typeorm';
import { zoneDate } from '../../clock';
import type { RosterRepository } from '../../roster/rosterRepository';
import type { AuditLog } from '../audit';
import type { Notifier } from '../notifier';
import type { AccountabilityMatters } from '../tolerance/matters';
import type { CaseRepository } from './caseRepository';
import { verdictOf } from './chain';
import { concludingOpinion, conclusionText, outcomeDetail } from './describe';
import { applicantFollows } from './kinds';
import type { CaseConclusion, ReplyRecord } from './record';
import { resolveHolder } from './routing';
import type { CaseRecord, WorkflowDefinition } from './types';

export interface ConclusionDeps {
  cases: CaseRepository;
  roster: RosterRepository;
  notifier: Notifier;
  audit: AuditLog;
  matters: AccountabilityMatters;
}

export interface Concluded {
  verdict: string;
  outcomes: number[];
  note?: string;
  by: CaseConclusion['by'];
  /** The approver the 批复 speaks for (zone), or the answer's number and date (city). */
  approverId: number | null;
  cityAnswer?: { documentNumber: string; answeredOn: string };
  /** What the last stage recorded, as told to the applicant. */
  told: string;
}

/** Everyone a concluded case's answer goes to: the applicant and the reply's roles on their unit. */
export async function replyRecipients(roster: RosterRepository, def: WorkflowDefinition, c: CaseRecord): Promise<number[]> {
  const ids = [c.applicantId];
  for (const role of def.reply?.to ?? []) {
    const holder = await resolveHolder(roster, role, c.unitId, c.applicantId);
    if (holder && !ids.includes(holder.id)) ids.push(holder.id);
  }
  return ids;
}

/** The chat message that carries a 批复 / 回复 (or the city's answer) to its recipients. */
export function replyMessage(def: WorkflowDefinition, c: CaseRecord, reply: ReplyRecord, applicantName: string, told: string, reason?: string): string {
  const outcome = conclusionText(def, reply);
  const detail = outcomeDetail(def, reply, reason);
  // The outcome first, then who issued it and when, each in a sentence of its own (not in brackets
  // stacked on the case's), then what the last stage said.
  const [heading, issued] =
    reply.issuer === 'city'
      ? ['市纪委监委答复', `市纪委监委 ${reply.issuedOn} 答复，文号 ${reply.number}。`]
      : [reply.title, `${reply.title}编号 ${reply.number}，${reply.issuedOn} 作出。`];
  const head = `【${heading}】${c.number} ${def.title}（${applicantName}）：${outcome}。`;
  return [head, issued, ...detail, told, `发送“导出${reply.title} ${c.number}”可获取${reply.title}文书（Word，加“PDF”为 PDF）。`].join('\n');
}

/**
 * Concludes a case as its last stage decided: granted or rejected by the verdict, the 批复 /
 * 回复 recorded and sent to the applicant and their unit's party organisation, the follow-up
 * work of a grant created and those who must know of it told. Runs in the deciding transaction.
 */
export async function conclude(
  deps: ConclusionDeps,
  tx: EntityManager,
  def: WorkflowDefinition,
  c: CaseRecord,
  done: Concluded,
  now: string,
  addTasks: (tx: EntityManager, c: CaseRecord, kinds: string[]) => Promise<void>,
): Promise<void> {
  const verdict = verdictOf(def, done.verdict);
  const outcome: CaseConclusion = { verdict: done.verdict, outcomes: done.outcomes, ...(done.note ? { note: done.note } : {}), by: done.by, decidedAt: now };
  const status = verdict.grants ? 'granted' : 'rejected';
  await deps.cases.transition(tx, c.id, ['in_review'], status, now, { outcome: JSON.stringify(outcome) });
  await deps.audit.append(tx, { actorId: null, action: `case.${status}`, subject: `case:${c.id}`, detail: { outcome } });
  if (c.matterId && verdict.grants) await deps.matters.setStatus(tx, c.matterId, 'exempted');
  const concluded = { ...c, status, outcome } as CaseRecord;
  const applicantName = String(c.form.applicantName ?? '') || ((await deps.roster.person(c.applicantId))?.name ?? '');
  const reason = concludingOpinion(await deps.cases.stages(c.id, tx));

  if (def.reply) {
    const reply = await deps.cases.addReply(tx, {
      caseId: c.id,
      numberPrefix: def.reply.numberPrefix,
      number: done.cityAnswer?.documentNumber,
      title: def.reply.title,
      issuer: done.by,
      issuedOn: done.cityAnswer?.answeredOn ?? zoneDate(new Date(now)),
      verdict: done.verdict,
      outcomes: done.outcomes,
      note: done.note ?? null,
      approverId: done.approverId,
      recipientIds: await replyRecipients(deps.roster, def, c),
      createdAt: now,
    });
    await deps.audit.append(tx, { actorId: null, action: 'case.replied', subject: `case:${c.id}`, detail: { number: reply.number, issuer: reply.issuer } });
    const text = replyMessage(def, concluded, reply, applicantName, done.told, reason);
    for (const id of reply.recipientIds) await deps.notifier.notify(tx, id, { kind: 'text', text });
  } else if (applicantFollows(def)) {
    await deps.notifier.notify(tx, c.applicantId, { kind: 'text', text: [`您的${def.title} ${c.number}：${conclusionText(def, outcome)}。`, ...outcomeDetail(def, outcome, reason), done.told].join('\n') });
  }

  if (!verdict.grants) return;
  await addTasks(tx, concluded, def.onGranted.filter((t) => t.when?.(concluded) ?? true).map((t) => t.kind));
  for (const notice of def.grantNotices ?? []) {
    const holders = (await deps.roster.nearestHolders(notice.role, c.unitId))?.people ?? [];
    for (const holder of holders) await deps.notifier.notify(tx, holder.id, { kind: 'text', text: notice.text(concluded, conclusionText(def, outcome)) });
  }
}
