/** Test-only settings: TEST_DATABASE_URL selects PostgreSQL (a database is created per test file). */
export function loadTestEnv(env: Record<string, string | undefined> = process.env) {
  const url = env.TEST_DATABASE_URL?.trim();
  return { testDatabaseUrl: url ? url : undefined };
}
