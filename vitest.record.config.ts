import { defineConfig } from 'vitest/config';

// `npm run record:histories`: records journey histories as replay fixtures (not part of CI;
// test/record/journey-histories.record.ts says when to run it).
export default defineConfig({
  test: {
    name: 'record',
    pool: 'forks',
    include: ['test/record/**/*.record.ts'],
    globalSetup: ['test/setup/global.ts'],
    setupFiles: ['test/setup/runtime.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
