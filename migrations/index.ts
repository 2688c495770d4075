import { Foundation1732700000000 } from './1732700000000-Foundation';
import { TalkRecords1732800000000 } from './1732800000000-TalkRecords';
import { Cases1732900000000 } from './1732900000000-Cases';
import { JointReviews1733100000000 } from './1733100000000-JointReviews';

/** Listed explicitly rather than globbed, so the same list runs under tsx, vitest and compiled JS. */
export const migrations = [Foundation1732700000000, TalkRecords1732800000000, Cases1732900000000, JointReviews1733100000000];
