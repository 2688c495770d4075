import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/globalSetup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time: most tests wait on MariaDB, Redis or a child process, not on the CPU,
    // and one at a time takes the suite past CI's 20 minutes on this 2-core machine.
    maxWorkers: 2,
  },
});
