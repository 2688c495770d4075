import { DEFAULT_OFFICE_HOURS, type OfficeHours } from '../../calendar/workingTime';
import { zoneDate, type Clock } from '../../clock';
import type { RosterRepository } from '../../roster/rosterRepository';
import { nextWorkingMorning } from '../../scheduling/recurrence';
import type { JobHandler } from '../../scheduling/scheduler';
import { isWorkingDay, workingDaysBetween } from '../../scheduling/workdays';
import { partyAffairsAdminIds } from '../../roster/partyAffairsAdmins';
import { update } from '../../storage/sql';
import type { AuditLog } from '../audit';
import type { Notifier } from '../notifier';
import type { CaseRepository } from './caseRepository';
import { isExternal } from './kinds';
import type { Workflow } from './workflow';

export const APPROVAL_REMINDERS = 'approval-reminders';

/** URGE_AFTER_WORKING_HOURS and WORKING_DAY_HOURS: the zone's settings, not the policy's. */
export interface UrgeSettings {
  afterWorkingHours: number;
  officeHours: OfficeHours;
}

export const DEFAULT_URGE_SETTINGS: UrgeSettings = { afterWorkingHours: 4, officeHours: DEFAULT_OFFICE_HOURS };

export interface ApprovalReminderDeps {
  cases: CaseRepository;
  workflow: Workflow;
  roster: RosterRepository;
  notifier: Notifier;
  audit: AuditLog;
  clock: Clock;
  /** APPROVAL_REMIND_AFTER_WORKING_DAYS. */
  afterWorkingDays: number;
}

/**
 * 催办, every working day: the approver of each stage that has waited `afterWorkingDays` working
 * days or more (a 建议办理期限 of the zone's own; the policy sets none) is reminded, at most once a
 * day (case_stages.reminded_at, which the applicant's own 催办 also sets), and 党群工作部 gets the
 * list of all such stages.
 */
export function approvalReminderJob(deps: ApprovalReminderDeps): JobHandler {
  return {
    kind: APPROVAL_REMINDERS,
    next: nextWorkingMorning,
    async run(_job, tx) {
      const now = deps.clock.now();
      const today = zoneDate(now);
      // A run delayed past its day onto a holiday waits for the next working day's run.
      if (!isWorkingDay(today)) return;
      const startOfToday = new Date(`${today}T00:00:00+08:00`).toISOString();
      const overdue: string[] = [];
      for (const stage of await deps.cases.pendingStagesOpenedBefore(startOfToday)) {
        const waited = workingDaysBetween(zoneDate(new Date(stage.openedAt)), today);
        const c = await deps.cases.get(stage.caseId, tx);
        if (waited < deps.afterWorkingDays || !stage.assigneeId || c?.status !== 'in_review') continue;
        const def = deps.workflow.definition(c.kind);
        const stageDef = deps.workflow.stageDefinition(c, stage);
        // A 呈报 waits on the 市纪委监委, not on anyone here.
        if (isExternal(stageDef)) continue;
        const assignee = await deps.roster.person(stage.assigneeId);
        overdue.push(`· ${c.number}（${def.title}）“${stageDef.title}”：${assignee?.name ?? '（未知）'}，已等待 ${waited} 个工作日`);
        // The guard makes the reminder once a day even if the applicant pressed 催办 this morning.
        const claimed = await update(tx, 'case_stages', { reminded_at: now.toISOString() }, `id = ? AND status = 'pending' AND (reminded_at IS NULL OR reminded_at < ?)`, [
          stage.id,
          startOfToday,
        ]);
        if (claimed !== 1) continue;
        await deps.notifier.notify(tx, stage.assigneeId, {
          kind: 'text',
          text: `【催办】${c.number}（${def.title}）在“${stageDef.title}”环节等待您的意见，已等待 ${waited} 个工作日，超过建议办理期限 ${deps.afterWorkingDays} 个工作日（本区设置）。请在卡片上办理，或发送“我的待办”查看。`,
        });
        await deps.audit.append(tx, { actorId: null, action: 'stage.reminded', subject: `case:${c.id}`, detail: { stage: stage.stageKey, waited, automatic: true } });
      }
      if (overdue.length === 0) return;
      const text = [`【审批超期清单】截至${today}，以下审批已超过建议办理期限 ${deps.afterWorkingDays} 个工作日（本区设置）未处理，已提醒审批人：`, ...overdue].join('\n');
      for (const adminId of await partyAffairsAdminIds(tx)) await deps.notifier.notify(tx, adminId, { kind: 'text', text });
    },
  };
}
