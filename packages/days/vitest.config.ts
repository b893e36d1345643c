import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'days',
    include: ['src/**/*.test.ts'],
  },
});
