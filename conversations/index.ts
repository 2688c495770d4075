import { accountabilityMatter } from './accountabilityMatter';
import { adjustmentDecision } from './adjustmentDecision';
import { adjustmentDismissal } from './adjustmentDismissal';
import { adjustmentInspection } from './adjustmentInspection';
import { adjustmentOpening } from './adjustmentOpening';
import { adjustmentProposal } from './adjustmentProposal';
import { adjustmentTalk } from './adjustmentTalk';
import { answerRecord } from './answerRecord';
import { approvalDecision } from './approvalDecision';
import { caseSupplement } from './caseSupplement';
import { caseWithdrawal } from './caseWithdrawal';
import { clearanceDone } from './clearanceDone';
import { clearanceOpening } from './clearanceOpening';
import { clearanceProposal } from './clearanceProposal';
import { clearanceWishes } from './clearanceWishes';
import { decisionOpinion } from './decisionOpinion';
import { filingApplication } from './filingApplication';
import { filingEvaluation } from './filingEvaluation';
import { filingFinding } from './filingFinding';
import { filingResultReport } from './filingResultReport';
import { holidayCalendar } from './holidayCalendar';
import { healthRetreat } from './healthRetreat';
import { jointReviewSetup } from './jointReviewSetup';
import { meetingRecord } from './meetingRecord';
import { revocationHandling } from './revocationHandling';
import { reviewOpinion } from './reviewOpinion';
import { submissionRecord } from './submissionRecord';
import { talkCorrection } from './talkCorrection';
import { talkLog } from './talkLog';
import { talkQuotaRule } from './talkQuotaRule';
import { taskCompletion } from './taskCompletion';
import { toleranceApplication } from './toleranceApplication';
import { toleranceInvestigation } from './toleranceInvestigation';
import { toleranceRevocation } from './toleranceRevocation';

/** The dialogues a person starts from the menu or by their trigger words, in menu order. */
export const menuDialogues = [toleranceApplication, filingApplication, talkLog];

/** Every dialogue: those above, plus those started by a card button or by a role's command. */
export const dialogues = [
  ...menuDialogues,
  accountabilityMatter,
  toleranceRevocation,
  revocationHandling,
  decisionOpinion,
  approvalDecision,
  toleranceInvestigation,
  filingFinding,
  meetingRecord,
  submissionRecord,
  answerRecord,
  clearanceOpening,
  clearanceWishes,
  clearanceProposal,
  clearanceDone,
  caseSupplement,
  caseWithdrawal,
  taskCompletion,
  jointReviewSetup,
  reviewOpinion,
  filingResultReport,
  filingEvaluation,
  adjustmentOpening,
  adjustmentDismissal,
  adjustmentInspection,
  adjustmentProposal,
  adjustmentDecision,
  adjustmentTalk,
  healthRetreat,
  talkCorrection,
  holidayCalendar,
  talkQuotaRule,
];
