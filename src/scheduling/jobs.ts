import type { DataSource } from 'typeorm';
import { calendarReminderJob } from '../calendar/calendarReminder';
import type { Clock } from '../clock';
import type { Config } from '../config';
import { AuditLog } from '../domain/audit';
import { influenceEndedJob, triggerCardsJob } from '../domain/adjustment/jobs';
import { talkReminderJobs } from '../domain/talks/talkReminders';
import { approvalReminderJob } from '../domain/workflow/approvalReminders';
import type { Logger } from '../logger';
import { instrumentJobs } from '../metrics/jobs';
import type { Metrics } from '../metrics/metrics';
import type { Services } from '../services';
import { Scheduler } from './scheduler';

/**
 * The scheduled work of the bot: 谈心谈话 reminders, the daily 催办 of approvers, the weekly notice of a
 * missing holiday arrangement, 能上能下 trigger cards and 第十五条 notices, under the calendar the database holds.
 */
export function createScheduler(deps: {
  db: DataSource; clock: Clock; logger: Logger; instanceId: string; services: Services; config: Config; metrics?: Pick<Metrics, 'jobRun'>;
}): Scheduler {
  const { db, clock, logger, instanceId, services, config } = deps;
  const adjustmentDeps = { cases: services.cases, roster: services.roster, notifier: services.notifier, audit: new AuditLog(clock), clock };
  const handlers = [
    ...talkReminderJobs({ quotas: services.quotas, notifier: services.notifier, clock }),
    triggerCardsJob(adjustmentDeps),
    influenceEndedJob(adjustmentDeps),
    approvalReminderJob({
      cases: services.cases,
      workflow: services.workflow,
      roster: services.roster,
      notifier: services.notifier,
      audit: new AuditLog(clock),
      clock,
      afterWorkingDays: config.approvalRemindAfterWorkingDays,
    }),
    calendarReminderJob({ calendar: services.calendar, notifier: services.notifier }),
    services.files.fetchJob(),
  ];
  // Runs counted by kind and result for /metrics (dandang_job_runs_total).
  return new Scheduler(db, clock, logger, instanceId, deps.metrics ? instrumentJobs(handlers, deps.metrics) : handlers, { calendar: services.calendar });
}
