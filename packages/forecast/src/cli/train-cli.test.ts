import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileRows, toCsv } from '@ethcast/price-file/test';
import { describe, expect, it } from 'vitest';
import { randomWalkBars } from '../test-support/generate-series.ts';
import { runForecastCli } from '../test-support/run-cli.ts';
import { useTempDirs } from '../test-support/temp-dirs.ts';

const temp = useTempDirs('ethcast-train-cli-');
const trainNaive = (csv: string, more: string[]) =>
  runForecastCli('train', ['--model', 'naive', '--symbol', 'ETH-USD', '--csv', csv, ...more]);

describe('pnpm train (a real process)', () => {
  it('trains from a CoinMarketCap export, the rows of its --symbol only', async () => {
    const dir = await temp.make();
    const csv = path.join(dir, 'cmc.csv');
    const bars = randomWalkBars({ days: 400, seed: 5, start: '2021-01-01' });
    await writeFile(csv, toCsv(fileRows('ETH-USD', bars), 'coinmarketcap'));
    const out = await temp.make();
    const run = await trainNaive(csv, ['--out', out]);
    expect(run.stderr).toContain('on 400 days 2021-01-01 → 2022-02-04');
    expect(run.code).toBe(0);
    expect(await readdir(out)).toEqual(['eth-usd-naive']);
  });

  it.each([
    ['--seed', '0'],
    ['--epochs', '0'],
    ['--epochs', '1.5'],
  ])('exits 1 with one line on %s %s', async (flag, value) => {
    const run = await trainNaive('x.csv', [flag, value]);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`error: ${flag} must be a positive whole number, got '${value}'\n`);
  });
});
