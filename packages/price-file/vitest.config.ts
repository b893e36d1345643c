import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'price-file',
    include: ['src/**/*.test.ts'],
  },
});
