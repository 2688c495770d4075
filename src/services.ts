import type { ClearanceService } from './domain/clearance/clearanceService';
import type { FilingService } from './domain/filing/filingService';
import type { CadreAdjustments } from './domain/talks/adjustments';
import type { TalkQuotas } from './domain/talks/quotas';
import type { TalkAccess } from './domain/talks/talkAccess';
import type { TalkCorrections } from './domain/talks/talkCorrections';
import type { TalkRecords } from './domain/talks/talkRecords';
import type { JointReview } from './domain/workflow/jointReview';
import type { ExemptionRegister } from './domain/tolerance/exemptions';
import type { AccountabilityMatters } from './domain/tolerance/matters';
import type { ToleranceService } from './domain/tolerance/toleranceService';
import type { CaseRepository } from './domain/workflow/caseRepository';
import type { CaseInquiry } from './domain/workflow/inquiry';
import type { Workflow } from './domain/workflow/workflow';
import type { Refusals } from './domain/audit';
import type { Notifier } from './domain/notifier';
import type { RosterRepository } from './roster/rosterRepository';

/** The use cases and repositories that dialogues in conversations/ may call. */
export interface Services {
  roster: RosterRepository;
  talks: TalkRecords;
  quotas: TalkQuotas;
  adjustments: CadreAdjustments;
  talkAccess: TalkAccess;
  talkCorrections: TalkCorrections;
  cases: CaseRepository;
  workflow: Workflow;
  inquiry: CaseInquiry;
  tolerance: ToleranceService;
  filing: FilingService;
  clearance: ClearanceService;
  exemptions: ExemptionRegister;
  jointReview: JointReview;
  matters: AccountabilityMatters;
  notifier: Notifier;
  /** Where a chat action writes down whom it refused, and what. */
  refusals: Refusals;
}
