import { join } from 'node:path';

/** The fictional roster shipped for the embedded quick start and the tests. */
export const SAMPLE_ROSTER_PATH = join(__dirname, 'sampleRoster.yaml');
