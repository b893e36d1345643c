import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'server',
    include: ['src/**/*.test.ts'],
    // One embedded PGlite per worker process (≈4 s, ≈800 MB to start), shared by its test files;
    // each file still gets an emptied database (src/test/db.ts).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test' },
  },
});
