/**
 * `prices.symbols` on PostgreSQL: the summary the triggers keep (price_symbols) against the aggregate of
 * the whole prices table it replaced, with 2 symbols and then with ~1,000 symbols over ~1,000,000 rows.
 * Also the cost the triggers add to a bulk insert. Not a test: prints figures for docs/benchmarks.md.
 *
 *   pnpm tsx packages/server/bench/price-symbols.bench.ts [--symbols 1018] [--days 989] [--calls 30]
 *     [--base postgres://…/postgres]
 */
import { sql } from 'drizzle-orm';
import { type Database, queryRows } from '../src/db/client.ts';
import { listSymbols } from '../src/db/queries/prices.ts';
import { benchArgs, machine, p50p95, withMigratedBenchDb } from './harness.ts';

const values = benchArgs({ symbols: '1018', days: '989', calls: '30' });

/** The query `prices.symbols` ran before the summary: an aggregate of every stored row. */
const AGGREGATE = sql`select symbol, min(day) as first_day, max(day) as last_day, count(*)::int as rows,
  (max(day) - min(day) + 1)::int as span from prices group by symbol`;

const calls = Number(values.calls);

async function measure(label: string, run: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  console.log(`  ${label}: ${p50p95(times)} (${calls} calls)`);
}

/** `count` symbols AA0-USD… with `days` consecutive days each, in one insert statement. */
async function seed(db: Database, count: number, days: number) {
  const t0 = performance.now();
  await db.execute(sql`insert into prices (symbol, day, open, high, low, close, volume, source)
    select 'S' || lpad(s::text, 4, '0') || '-USD', date '2020-01-01' + d, 1 + d, 2 + d, 0.5 + d, 1.5 + d, 10, 'bench'
    from generate_series(1, ${count}) s, generate_series(0, ${days - 1}) d`);
  const seconds = (performance.now() - t0) / 1000;
  await db.execute(sql`analyze prices`);
  await db.execute(sql`analyze price_symbols`);
  return seconds;
}

await withMigratedBenchDb('symbols', { base: values.base, max: 4 }, async ({ handle }) => {
  const db = handle.db;
  console.log(machine());
  const pg = await queryRows<{ v: string }>(db, sql`select version() as v`);
  console.log(`database: ${pg[0]?.v.split(',')[0]}`);

  const small = await seed(db, 2, Number(values.days));
  console.log(`2 symbols × ${values.days} days (inserted in ${small.toFixed(1)} s):`);
  await measure('summary (listSymbols)', () => listSymbols(db));
  await measure('aggregate (before)', () => queryRows(db, AGGREGATE));

  await db.execute(sql`truncate prices`);
  const many = Number(values.symbols);
  const withTriggers = await seed(db, many, Number(values.days));
  const [{ n } = { n: 0 }] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from prices`);
  console.log(
    `${many} symbols × ${values.days} days = ${n} rows (inserted in ${withTriggers.toFixed(1)} s):`,
  );
  await measure('summary (listSymbols)', () => listSymbols(db));
  await measure('aggregate (before)', () => queryRows(db, AGGREGATE));
  const summary = await listSymbols(db);
  const aggregate = await queryRows<{ rows: number }>(db, AGGREGATE);
  console.log(
    `  the two agree: ${summary.length === aggregate.length && summary.reduce((a, s) => a + s.rows, 0) === aggregate.reduce((a, s) => a + s.rows, 0)}`,
  );

  // What the triggers cost a bulk write: the same insert with them disabled.
  await db.execute(sql`truncate prices`);
  await db.execute(sql`alter table prices disable trigger user`);
  const without = await seed(db, many, Number(values.days));
  await db.execute(sql`alter table prices enable trigger user`);
  console.log(`  the same insert without the triggers: ${without.toFixed(1)} s`);
});
