import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'forecast',
    include: ['src/**/*.test.ts'],
    // tiny networks still train for a few seconds when both cores are busy
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
