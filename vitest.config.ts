import { defineConfig } from 'vitest/config';

// Temporal's native bridge crashes inside worker threads: every project runs in forks.
export default defineConfig({
  test: {
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          pool: 'forks',
          include: ['{engine,wechat,app,config,cli,services}/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'integration',
          pool: 'forks',
          include: ['{test/integration,workflows,db}/**/*.test.ts'],
          globalSetup: ['test/setup/global.ts'],
          setupFiles: ['test/setup/runtime.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
