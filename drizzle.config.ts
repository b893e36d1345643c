import { defineConfig } from 'drizzle-kit';

// Generation only: migrations are applied by the server at start (packages/server/src/db/migrate.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/server/src/db/schema.ts',
  out: './drizzle',
  casing: 'snake_case',
});
