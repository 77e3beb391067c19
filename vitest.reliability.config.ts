import { defineConfig } from 'vitest/config';

// `npm run test:reliability`: each test injects a fault and asserts nothing was lost or doubled.
export default defineConfig({
  test: {
    name: 'reliability',
    pool: 'forks',
    include: ['test/reliability/**/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    setupFiles: ['test/setup/runtime.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
