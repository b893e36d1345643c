import { PGlite } from '@electric-sql/pglite';

/** For tests of an embedded folder no process holds: counts that a stale index or lost rows would break. */
/**
 * Counts a symbol's rows once through the primary-key index only and once by a sequential scan only.
 */
export async function countBothWays(folder: string) {
  const db = await PGlite.create(folder);
  try {
    await db.exec('set enable_seqscan = off; set enable_bitmapscan = off');
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      "explain select count(*) from prices where symbol = 'ETH-USD'",
    );
    const viaIndex = await db.query<{ n: number }>(
      "select count(*)::int as n from prices where symbol = 'ETH-USD'",
    );
    const adminsViaIndex = await db.query<{ n: number }>(
      "select count(*)::int as n from users where username = 'first_admin'",
    );
    await db.exec('set enable_seqscan = on; set enable_indexscan = off; set enable_indexonlyscan = off');
    const viaScan = await db.query<{ n: number }>(
      "select count(*)::int as n from prices where symbol = 'ETH-USD'",
    );
    const adminsViaScan = await db.query<{ n: number }>(
      "select count(*)::int as n from users where username = 'first_admin'",
    );
    return {
      plan: plan.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n'),
      viaIndex: viaIndex.rows[0]?.n,
      viaScan: viaScan.rows[0]?.n,
      adminsViaIndex: adminsViaIndex.rows[0]?.n,
      adminsViaScan: adminsViaScan.rows[0]?.n,
    };
  } finally {
    await db.close();
  }
}
