import { Foundation1732700000000 } from './1732700000000-Foundation';

/** Listed explicitly rather than globbed, so the same list runs under tsx, vitest and compiled JS. */
export const migrations = [Foundation1732700000000];
