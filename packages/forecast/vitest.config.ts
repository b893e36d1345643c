import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'forecast',
    include: ['src/**/*.test.ts'],
  },
});
