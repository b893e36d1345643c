import type { StoredScore } from '../db/queries/scores.ts';
import type { StoredForecastPoint } from '../db/schema.ts';

export type ActualVsForecast = {
  day: string;
  actual: number;
  value: number;
  /** actual − forecast */
  error: number;
  /** null when the point has no band (forecasts taken over from the legacy backend) */
  inside80: boolean | null;
  inside95: boolean | null;
  /** true when read from the stored scores (score-forecasts job), false when computed on this read */
  scored: boolean;
};

/**
 * `mape` in percent (0–100), like the backtest metrics; coverages are fractions (0–1), likewise, over
 * the days whose point has that band: null when none has (legacy forecasts had no bands).
 */
export type Accuracy = {
  n: number;
  mae: number;
  mape: number;
  coverage80: number | null;
  coverage95: number | null;
};

const inside = (actual: number, lower: number | undefined, upper: number | undefined) =>
  lower === undefined || upper === undefined ? null : actual >= lower && actual <= upper;

/** Pairs each forecast day that has a stored close with it, and summarises how the forecast did. */
export function compareWithActuals(
  points: StoredForecastPoint[],
  closes: { day: string; close: number }[],
): { actuals: ActualVsForecast[]; accuracy: Accuracy | null } {
  const closeByDay = new Map(closes.map((c) => [c.day, c.close]));
  const actuals: ActualVsForecast[] = [];
  for (const p of points) {
    const actual = closeByDay.get(p.day);
    if (actual === undefined) continue;
    actuals.push({
      day: p.day,
      actual,
      value: p.value,
      error: actual - p.value,
      inside80: inside(actual, p.lower80, p.upper80),
      inside95: inside(actual, p.lower95, p.upper95),
      scored: false,
    });
  }
  return { actuals, accuracy: summariseAccuracy(actuals) };
}

/**
 * A forecast's actuals: its stored scores (written once by the score-forecasts job, never recomputed),
 * and for days that have a close but no score yet (the job has not run since), the comparison on read.
 */
export function actualsOf(
  points: StoredForecastPoint[],
  scores: StoredScore[],
  closes: { day: string; close: number }[],
): { actuals: ActualVsForecast[]; accuracy: Accuracy | null } {
  const scoredDays = new Set(scores.map((s) => s.day));
  const stored: ActualVsForecast[] = scores.map((s) => ({
    day: s.day,
    actual: s.actual,
    value: s.value,
    error: s.error,
    inside80: s.inside80,
    inside95: s.inside95,
    scored: true,
  }));
  const live = compareWithActuals(
    points.filter((p) => !scoredDays.has(p.day)),
    closes,
  ).actuals;
  const actuals = [...stored, ...live].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { actuals, accuracy: summariseAccuracy(actuals) };
}

export function summariseAccuracy(actuals: ActualVsForecast[]): Accuracy | null {
  if (actuals.length === 0) return null;
  const n = actuals.length;
  const mean = (f: (a: ActualVsForecast) => number) => actuals.reduce((sum, a) => sum + f(a), 0) / n;
  const coverage = (band: 'inside80' | 'inside95') => {
    const banded = actuals.filter((a) => a[band] !== null);
    return banded.length ? banded.filter((a) => a[band]).length / banded.length : null;
  };
  return {
    n,
    mae: mean((a) => Math.abs(a.error)),
    mape: 100 * mean((a) => Math.abs(a.error) / a.actual),
    coverage80: coverage('inside80'),
    coverage95: coverage('inside95'),
  };
}
