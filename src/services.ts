import type { WorkingCalendar } from './calendar/workingCalendar';
import type { AdjustmentService } from './domain/adjustment/adjustmentService';
import type { TriggerRecords } from './domain/adjustment/triggerRecords';
import type { CadreProfiles } from './domain/assessment/cadreProfile';
import type { IncentiveLists } from './domain/assessment/incentiveLists';
import type { ClearanceService } from './domain/clearance/clearanceService';
import type { FilingService } from './domain/filing/filingService';
import type { CadreAdjustments } from './domain/talks/adjustments';
import type { TalkQuotaRules } from './domain/talks/quotaRules';
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
import type { ReceivedFiles } from './files/receivedFiles';
import type { CaseFiles } from './files/caseFiles';
import type { UploadLinks } from './files/uploadLinks';
import type { Archives } from './documents/archiveService';
import type { RosterRepository } from './roster/rosterRepository';
import type { ZoneSettings } from './domain/zone/zoneSettings';

/** The use cases and repositories that dialogues in conversations/ may call. */
export interface Services {
  roster: RosterRepository;
  talks: TalkRecords;
  quotas: TalkQuotas;
  quotaRules: TalkQuotaRules;
  /** 被调整干部's talks (能上能下办法 第十四条). */
  adjustments: CadreAdjustments;
  /** 组织调整 cases (第十二条) on the workflow, and the 第八条 triggers they are opened from. */
  adjustment: AdjustmentService;
  triggers: TriggerRecords;
  /** 激励办法 lists and 健康休养. */
  incentives: IncentiveLists;
  profiles: CadreProfiles;
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
  /** The working-day calendar: the holiday arrangement each year uses, and loading one. */
  calendar: WorkingCalendar;
  /** Where a chat action writes down whom it refused, and what. */
  refusals: Refusals;
  /** The zone's own lists 党群工作部 changes (the 八个一体化 matters). */
  zoneSettings: ZoneSettings;
  /** Files people send: recorded on arrival, fetched by a job, kept in the file store. */
  files: ReceivedFiles;
  /** Links to the upload page for Word and PDF files, which WeCom does not carry. */
  uploads?: UploadLinks;
  /** A case's files and who may read them. */
  caseFiles: CaseFiles;
  /** 归档: each case's package, made when its 归档 task is closed and again on request. */
  archives: Archives;
}
