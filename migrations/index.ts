import { Foundation1732700000000 } from './1732700000000-Foundation';
import { TalkRecords1732800000000 } from './1732800000000-TalkRecords';
import { Cases1732900000000 } from './1732900000000-Cases';
import { TalkQuotas1733000000000 } from './1733000000000-TalkQuotas';
import { JointReviews1733100000000 } from './1733100000000-JointReviews';
import { TalkCorrections1733200000000 } from './1733200000000-TalkCorrections';
import { WorkflowRecords1734000000000 } from './1734000000000-WorkflowRecords';
import { InboxOrder1734100000000 } from './1734100000000-InboxOrder';
import { DraftCopies1734110000000 } from './1734110000000-DraftCopies';
import { WorkingCalendar1734200000000 } from './1734200000000-WorkingCalendar';
import { AssessmentLedger1734300000000 } from './1734300000000-AssessmentLedger';
import { ZoneSettings1735100000000 } from './1735100000000-ZoneSettings';
import { RegisterSequences1735200000000 } from './1735200000000-RegisterSequences';
import { OutboxHeld1735210000000 } from './1735210000000-OutboxHeld';
import { StageRecusal1735220000000 } from './1735220000000-StageRecusal';
import { ReceivedFiles1735300000000 } from './1735300000000-ReceivedFiles';
import { ConfidentialColumns1735600000000 } from './1735600000000-ConfidentialColumns';
import { TalkNumbers1735700000000 } from './1735700000000-TalkNumbers';
import { AdjustmentOntoWorkflow1735800000000 } from './1735800000000-AdjustmentOntoWorkflow';

/** Listed explicitly rather than globbed, so the same list runs under tsx, vitest and compiled JS. */
export const migrations = [
  Foundation1732700000000,
  TalkRecords1732800000000,
  Cases1732900000000,
  TalkQuotas1733000000000,
  JointReviews1733100000000,
  TalkCorrections1733200000000,
  WorkflowRecords1734000000000,
  InboxOrder1734100000000,
  DraftCopies1734110000000,
  WorkingCalendar1734200000000,
  AssessmentLedger1734300000000,
  ZoneSettings1735100000000,
  RegisterSequences1735200000000,
  OutboxHeld1735210000000,
  StageRecusal1735220000000,
  ReceivedFiles1735300000000,
  ConfidentialColumns1735600000000,
  TalkNumbers1735700000000,
  AdjustmentOntoWorkflow1735800000000,
];
