/**
 * `pnpm bench [name…]`: runs the benchmark scripts one after another (never in parallel: they measure
 * time on a 2-core machine). Names: forecast, build-models, prices, prices-path, symbols, predicts, fair, flood. Results go to docs/benchmarks.md by hand.
 * Extra flags after `--` are passed to every script.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const benches: Record<string, { file: string; needs: string }> = {
  forecast: {
    file: 'packages/forecast/bench/forecast.bench.ts',
    needs: '../shared/data/eth-usd-daily.csv (for backtests)',
  },
  'build-models': {
    file: 'packages/forecast/bench/build-models.bench.ts',
    needs: 'nothing (../shared/data/eth-usd-daily.csv when present, else a generated series)',
  },
  prices: { file: 'packages/server/bench/prices-import.bench.ts', needs: 'PostgreSQL at 127.0.0.1:5432' },
  'prices-path': {
    file: 'packages/server/bench/prices-import-path.bench.ts',
    needs: 'PostgreSQL at 127.0.0.1:5432',
  },
  symbols: { file: 'packages/server/bench/price-symbols.bench.ts', needs: 'PostgreSQL at 127.0.0.1:5432' },
  predicts: { file: 'packages/server/bench/predicts.bench.ts', needs: 'PostgreSQL at 127.0.0.1:5432' },
  flood: { file: 'packages/server/bench/flood.bench.ts', needs: 'PostgreSQL at 127.0.0.1:5432' },
  fair: {
    file: 'packages/server/bench/fair.bench.ts',
    needs:
      'PostgreSQL at 127.0.0.1:5432, wrk, and for the stand-in ../shared/peer with python3-fastapi, uvicorn, python3-psycopg2, python3-bcrypt',
  },
};

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const names = (split === -1 ? argv : argv.slice(0, split)).filter(Boolean);
const passThrough = split === -1 ? [] : argv.slice(split + 1);
const unknown = names.filter((n) => !(n in benches));
if (unknown.length) {
  console.error(`bench: unknown benchmark ${unknown.join(', ')} (known: ${Object.keys(benches).join(', ')})`);
  process.exit(2);
}

let failed = 0;
for (const name of names.length ? names : Object.keys(benches)) {
  const bench = benches[name];
  if (!bench || !existsSync(bench.file)) continue;
  console.log(`\n=== ${name} (${bench.file}; needs ${bench.needs})`);
  const tsx = join('node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [bench.file, ...passThrough], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
