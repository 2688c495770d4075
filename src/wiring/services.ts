import type { DataSource } from 'typeorm';
import { DEFAULT_CALENDAR_SETTINGS, WorkingCalendar, type CalendarSettings } from '../calendar/workingCalendar';
import type { Clock } from '../clock';
import { AuditLog, Refusals } from '../domain/audit';
import type { Notifier } from '../domain/notifier';
import { AdjustmentService } from '../domain/adjustment/adjustmentService';
import { WORKFLOWS } from '../domain/workflows';
import { TriggerRecords } from '../domain/adjustment/triggerRecords';
import { CadreProfiles } from '../domain/assessment/cadreProfile';
import { IncentiveLists } from '../domain/assessment/incentiveLists';
import { DEFAULT_INCENTIVE_SETTINGS, type IncentiveSettings } from '../domain/assessment/settings';
import { ClearanceService } from '../domain/clearance/clearanceService';
import { FilingService } from '../domain/filing/filingService';
import { CadreAdjustments } from '../domain/talks/adjustments';
import { TalkQuotaRules } from '../domain/talks/quotaRules';
import { TalkQuotas } from '../domain/talks/quotas';
import { DEFAULT_TALK_SETTINGS, type TalkSettings } from '../domain/talks/settings';
import { TalkAccess } from '../domain/talks/talkAccess';
import { TalkCorrections } from '../domain/talks/talkCorrections';
import { TalkRecords } from '../domain/talks/talkRecords';
import { JointReview } from '../domain/workflow/jointReview';
import { ExemptionRegister } from '../domain/tolerance/exemptions';
import { AccountabilityMatters } from '../domain/tolerance/matters';
import { ToleranceService } from '../domain/tolerance/toleranceService';
import { CaseRepository } from '../domain/workflow/caseRepository';
import { DEFAULT_DEADLINES, type DeadlineSettings } from '../domain/workflow/deadlines';
import { CaseInquiry } from '../domain/workflow/inquiry';
import { Workflow } from '../domain/workflow/workflow';
import type { UrgeSettings } from '../domain/workflow/approvalReminders';
import { DEFAULT_FILE_LIMITS, DEFAULT_FILES_DIR, type FilesConfig } from '../files/config';
import type { FileStore } from '../files/fileStore';
import { createFileStore } from '../files';
import type { MediaFetcher } from '../files/mediaFetcher';
import { ReceivedFiles } from '../files/receivedFiles';
import type { UploadLinks } from '../files/uploadLinks';
import { CaseFiles } from '../files/caseFiles';
import { Archives } from '../documents/archiveService';
import type { RosterRepository } from '../roster/rosterRepository';
import { SqlZoneSettingsRepository, ZoneSettings } from '../domain/zone/zoneSettings';
import type { Services } from '../services';

/** The zone's own settings the domain reads (each defaults to the value .env.example documents). */
export interface DomainSettings {
  talks: TalkSettings;
  calendar: CalendarSettings;
  incentives: IncentiveSettings;
  deadlines: DeadlineSettings;
  /** PUBLIC_BASE_URL, where cards link to a case's page. */
  publicBaseUrl: string;
  urge: UrgeSettings;
  files: FilesConfig;
}

/** What the domain reaches outside itself through ports: the file store and the messengers' media downloads. */
export interface DomainPorts {
  fileStore?: FileStore;
  mediaFetchers?: Partial<Record<string, MediaFetcher>>;
  /** Links to the upload page (the bot has them; services built without a web listener do not). */
  uploads?: UploadLinks;
}

/** The domain, assembled over one database: what dialogues and actions call. */
export function buildServices(
  db: DataSource,
  clock: Clock,
  roster: RosterRepository,
  notifier: Notifier,
  settings: Partial<DomainSettings> = {},
  ports: DomainPorts = {},
): Services {
  const talkSettings = settings.talks ?? DEFAULT_TALK_SETTINGS;
  const incentiveSettings = settings.incentives ?? DEFAULT_INCENTIVE_SETTINGS;
  const deadlines = settings.deadlines ?? DEFAULT_DEADLINES;
  const audit = new AuditLog(clock);
  const refusals = new Refusals(db, audit);
  const talks = new TalkRecords(db, clock);
  const talkCorrections = new TalkCorrections(db, talks, audit, clock, talkSettings.editGraceHours);
  const cases = new CaseRepository(db);
  const matters = new AccountabilityMatters(db, clock, roster, notifier, audit);
  const workflow = new Workflow({ db, cases, roster, notifier, audit, clock, matters, deadlines, publicBaseUrl: settings.publicBaseUrl, urge: settings.urge, definitions: WORKFLOWS });
  const quotas = new TalkQuotas(db, talkSettings);
  const adjustments = new CadreAdjustments({ clock, roster, notifier, audit, settings: talkSettings });
  const adjustment = new AdjustmentService({ db, workflow, cases, roster, notifier, audit, refusals, clock, talks: adjustments });
  const incentives = new IncentiveLists({ db, clock, audit, refusals, settings: incentiveSettings });
  const store = ports.fileStore ?? createFileStore(settings.files?.store ?? { kind: 'local', dir: DEFAULT_FILES_DIR });
  const files = new ReceivedFiles(db, { store, fetchers: ports.mediaFetchers ?? {}, limits: settings.files?.limits ?? DEFAULT_FILE_LIMITS, clock, notifier, roster, audit });
  const caseFiles = new CaseFiles({ cases, roster, files });
  return {
    roster,
    talks,
    quotas,
    quotaRules: new TalkQuotaRules(db, { audit, clock, roster }),
    adjustments,
    adjustment,
    triggers: new TriggerRecords(db),
    incentives,
    profiles: new CadreProfiles({ db, clock, roster, audit, refusals, lists: incentives, quotas, cases }),
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
    calendar: new WorkingCalendar(db, { audit, clock, roster, settings: settings.calendar ?? DEFAULT_CALENDAR_SETTINGS }),
    refusals,
    zoneSettings: new ZoneSettings({ db, repository: new SqlZoneSettingsRepository(db), roster, audit, refusals, clock }),
    files,
    uploads: ports.uploads,
    caseFiles,
    archives: new Archives({ db, cases, caseFiles, files, store, workflow, roster, audit, clock }),
  };
}
