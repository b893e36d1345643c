import { addDays } from '@ethcast/days';
import type { GarchParams } from '../intervals/garch.ts';
import { seededRandom } from '../neural/seeded-random.ts';
import type { DailyBar } from '../types.ts';
import { simulateGarchT } from './garch-simulation.ts';

export interface RandomWalkOptions {
  days: number;
  seed?: number;
  start?: string;
  startPrice?: number;
  /** daily log-return volatility; a function allows regime changes */
  volatility?: number | ((day: number) => number);
  drift?: number;
}

/** Geometric random walk with Gaussian log returns: the null model crypto prices are closest to. */
export function randomWalkBars(options: RandomWalkOptions): DailyBar[] {
  const random = seededRandom(options.seed ?? 1);
  const gaussian = () => {
    const u = Math.max(random(), 1e-12);
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const vol = options.volatility ?? 0.03;
  const bars: DailyBar[] = [];
  let day = options.start ?? '2020-01-01';
  let logPrice = Math.log(options.startPrice ?? 1000);
  for (let i = 0; i < options.days; i++) {
    if (i > 0) {
      const sigma = typeof vol === 'function' ? vol(i) : vol;
      logPrice += (options.drift ?? 0) + sigma * gaussian();
      day = addDays(day, 1);
    }
    bars.push({ day, close: Math.exp(logPrice) });
  }
  return bars;
}

export interface GarchTSeriesOptions {
  days: number;
  /** GARCH(1,1) with unit-variance Student-t innovations; ν must be a whole number */
  params: GarchParams;
  seed?: number;
  start?: string;
  startPrice?: number;
  /** constant daily log drift added to every return */
  drift?: number;
}

/**
 * Daily closes whose log returns are a simulated GARCH(1,1)-t process with known parameters (plus an
 * optional drift), so a band model's nominal coverage is the truth to test it against.
 */
export function garchTBars(options: GarchTSeriesOptions): DailyBar[] {
  const returns = simulateGarchT(options.params, Math.max(0, options.days - 1), options.seed ?? 1);
  const bars: DailyBar[] = [];
  let day = options.start ?? '2020-01-01';
  let logPrice = Math.log(options.startPrice ?? 1000);
  for (let i = 0; i < options.days; i++) {
    if (i > 0) {
      logPrice += (options.drift ?? 0) + (returns[i - 1] as number);
      day = addDays(day, 1);
    }
    bars.push({ day, close: Math.exp(logPrice) });
  }
  return bars;
}

/** Tiny network settings so neural tests train in a second or two. */
export const TINY_RNN = {
  units: 4,
  window: 10,
  maxHorizon: 7,
  maxEpochs: 2,
  batchSize: 64,
  patience: 1,
  validationDays: 40,
} as const;
