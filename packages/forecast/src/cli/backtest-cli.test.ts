import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileRows, toCsv } from '@ethcast/price-file/test';
import { describe, expect, it } from 'vitest';
import { randomWalkBars } from '../test-support/generate-series.ts';
import { runForecastCli } from '../test-support/run-cli.ts';
import { useTempDirs } from '../test-support/temp-dirs.ts';

const temp = useTempDirs('ethcast-backtest-cli-');
const backtestCli = (args: string[]) => runForecastCli('backtest', args);

describe('pnpm backtest (a real process)', () => {
  it('--json carries the proper scores, coverage CIs, tests and per-year scores for models and anchors', async () => {
    const dir = await temp.make();
    const csv = path.join(dir, 'prices.csv');
    const bars = randomWalkBars({ days: 800, seed: 12, start: '2020-01-01' });
    // a yfinance export: the CLI reads every format the server's importer does
    await writeFile(csv, toCsv(fileRows('ETH-USD', bars), 'yfinance'));
    const modelsDir = await temp.make();
    const { code, stdout } = await backtestCli([
      '--csv',
      csv,
      '--symbol',
      'ETH-USD',
      '--from',
      '2021-06-01',
      '--to',
      '2022-03-10',
      '--models-dir',
      modelsDir,
      '--horizons',
      '1,7',
      '--json',
    ]);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(Object.keys(doc.models)).toEqual(['naive', 'drift', 'ewma-normal', 'garch-t']);
    expect(doc.models['garch-t'].kind).toBe('anchor');
    const m = doc.models.naive.metrics['1'];
    for (const key of [
      'intervalScore80',
      'intervalScore95',
      'intervalScore80Relative',
      'intervalScore95Relative',
    ]) {
      expect(m[key]).toBeGreaterThan(0);
    }
    expect(Object.keys(m.pinball)).toEqual(['0.025', '0.1', '0.5', '0.9', '0.975']);
    expect(m.coverage80Ci[0]).toBeLessThanOrEqual(m.coverage80);
    expect(m.coverage80Ci[1]).toBeGreaterThanOrEqual(m.coverage80);
    for (const key of ['kupiec80', 'kupiec95', 'christoffersen80', 'christoffersen95']) {
      expect(m[key]).toBeGreaterThanOrEqual(0);
      expect(m[key]).toBeLessThanOrEqual(1);
    }
    expect(doc.models.naive.metrics['7'].kupiec80).toBeNull();
    expect(Object.keys(doc.models.naive.yearly)).toEqual(['2021', '2022']);
    // the default is chosen among the models by MAE ratio, never an anchor
    expect(['naive', 'drift']).toContain(doc.defaultModel);
  }, 60_000);

  it('reads a date,close file (README, "Prices"): the same scores as the full file', async () => {
    const dir = await temp.make();
    const bars = randomWalkBars({ days: 500, seed: 5, start: '2020-01-01' });
    const full = path.join(dir, 'full.csv');
    await writeFile(full, toCsv(fileRows('ETH-USD', bars), 'plain'));
    const closes = path.join(dir, 'closes.csv');
    await writeFile(closes, ['date,close', ...bars.map((b) => `${b.day},${b.close}`)].join('\n'));
    const modelsDir = await temp.make();
    const run = (csv: string) =>
      backtestCli([
        ...['--csv', csv, '--symbol', 'ETH-USD', '--from', '2021-01-01', '--to', '2021-05-01'],
        ...['--models-dir', modelsDir, '--horizons', '1', '--json'],
      ]);
    const [a, b] = [await run(full), await run(closes)];
    expect([a.code, b.code]).toEqual([0, 0]);
    // every figure but the wall time each model took
    const scores = (stdout: string) =>
      Object.values(JSON.parse(stdout).models as Record<string, { seconds: number }>).map(
        ({ seconds, ...rest }) => rest,
      );
    expect(scores(b.stdout)).toEqual(scores(a.stdout));
    expect(scores(a.stdout)).toHaveLength(4);
  }, 60_000);

  it('exits 1 with one line on a bad flag value', async () => {
    const { code, stderr } = await backtestCli([
      '--csv',
      'x.csv',
      '--symbol',
      'ETH-USD',
      '--from',
      '2021-01-01',
      '--to',
      '2021-06-01',
      '--retrain-every',
      'weekly',
    ]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/--retrain-every must be 'yearly' or a whole number/);
  });

  it.each([
    [['--half-life', '0'], /--half-life must be a positive number of outcomes or none/],
    [['--blend', 'garch-t:0.8,ewma-normal:0.4'], /--blend: blend weights sum to more than 1/],
    [['--blend', 'garch-t:0.5', '--scale', 'ewma-365'], /--blend garch-t:w needs the garch-t scale/],
    [['--scale-ewma-weight', '2'], /--scale-ewma-weight must be a number in \[0, 1\]/],
  ])('refuses a bad band-method flag %j with one line', async (flags, message) => {
    const base = ['--csv', 'x.csv', '--symbol', 'ETH-USD', '--from', '2021-01-01', '--to', '2021-06-01'];
    const { code, stderr } = await backtestCli([...base, ...flags]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });
});
