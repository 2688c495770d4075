import type { DataSource } from 'typeorm';
import type { Clock } from '../clock';
import { AuditLog, Refusals } from '../domain/audit';
import type { Notifier } from '../domain/notifier';
import { clearanceWorkflow } from '../domain/clearance/definition';
import { ClearanceService } from '../domain/clearance/clearanceService';
import { filingWorkflow } from '../domain/filing/definition';
import { FilingService } from '../domain/filing/filingService';
import { CadreAdjustments } from '../domain/talks/adjustments';
import { TalkQuotas } from '../domain/talks/quotas';
import { DEFAULT_TALK_SETTINGS, type TalkSettings } from '../domain/talks/settings';
import { TalkAccess } from '../domain/talks/talkAccess';
import { TalkCorrections } from '../domain/talks/talkCorrections';
import { TalkRecords } from '../domain/talks/talkRecords';
import { JointReview } from '../domain/workflow/jointReview';
import { toleranceWorkflow } from '../domain/tolerance/definition';
import { ExemptionRegister } from '../domain/tolerance/exemptions';
import { AccountabilityMatters } from '../domain/tolerance/matters';
import { ToleranceService } from '../domain/tolerance/toleranceService';
import { CaseRepository } from '../domain/workflow/caseRepository';
import { DEFAULT_DEADLINES, type DeadlineSettings } from '../domain/workflow/deadlines';
import { CaseInquiry } from '../domain/workflow/inquiry';
import { Workflow } from '../domain/workflow/workflow';
import type { RosterRepository } from '../roster/rosterRepository';
import type { Services } from '../services';

/** The domain, assembled over one database: what dialogues and actions call. */
export function buildServices(
  db: DataSource,
  clock: Clock,
  roster: RosterRepository,
  notifier: Notifier,
  talkSettings: TalkSettings = DEFAULT_TALK_SETTINGS,
  deadlines: DeadlineSettings = DEFAULT_DEADLINES,
): Services {
  const audit = new AuditLog(clock);
  const refusals = new Refusals(db, audit);
  const talks = new TalkRecords(db, clock);
  const talkCorrections = new TalkCorrections(db, talks, audit, clock, talkSettings.editGraceHours);
  const cases = new CaseRepository(db);
  const matters = new AccountabilityMatters(db, clock, roster, notifier, audit);
  const workflow = new Workflow({ db, cases, roster, notifier, audit, clock, matters, deadlines, definitions: [toleranceWorkflow, filingWorkflow, clearanceWorkflow] });
  return {
    roster,
    talks,
    quotas: new TalkQuotas(db, talkSettings),
    adjustments: new CadreAdjustments({ db, clock, roster, notifier, audit, settings: talkSettings }),
    talkAccess: new TalkAccess(db, roster, talks, audit, talkCorrections),
    talkCorrections,
    cases,
    workflow,
    inquiry: new CaseInquiry(cases, workflow, roster, () => clock.now()),
    tolerance: new ToleranceService({ db, workflow, cases, matters, roster, notifier, audit, clock }),
    filing: new FilingService({ workflow, cases, roster, clock, refusals }),
    clearance: new ClearanceService({ workflow, cases, matters, roster, notifier, clock, refusals }),
    exemptions: new ExemptionRegister(cases, roster, refusals),
    jointReview: new JointReview({ db, cases, workflow, roster, notifier, audit, clock }),
    matters,
    notifier,
    refusals,
  };
}
