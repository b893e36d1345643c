import { defineConfig } from 'vitest/config';

// Browser tests: `pnpm test:e2e` (root). Kept out of the default `pnpm test` run, which only picks up
// vitest.config.ts files; this one builds the dashboard, starts a real server and drives Chromium.
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    env: { NODE_ENV: 'test' },
  },
});
