import type { RetrainSchedule } from '../backtest/run-backtest.ts';
import { ANCHOR_NAMES, type AnchorName } from '../intervals/anchor-bands.ts';
import {
  BAND_SHAPES,
  type BandShape,
  type BlendWeights,
  SCORE_SIDES,
  type ScoreSides,
} from '../intervals/calibration-types.ts';
import { parseBlendWeights } from '../intervals/combination.ts';
import { SCALE_METHODS, type ScaleMethod } from '../intervals/scale-models.ts';
import { findModelsDir } from '../registry/find-models-dir.ts';
import { exitWithError, parseCliArgs, requireDay, resolveUserPath, stringFlags } from './cli-support.ts';

export const BACKTEST_USAGE =
  'usage: pnpm backtest --csv <file> --symbol ETH-USD --from YYYY-MM-DD --to YYYY-MM-DD [--models a,b] [--horizons 1,7,30] [--json] [--models-dir <dir>] [--retrain-every K|yearly] [--refit-cache <dir>] [--anchors ewma-normal,garch-t|none] [--garch-refit-every K] [--record-to <models dir>] [--bands monotone|per-horizon] [--scale ewma-365|garch-t] [--sides signed|absolute] [--gamma γ] [--scale-ewma-weight w] [--half-life N|none] [--blend garch-t:w,ewma-normal:w|none]';

/** Everything `pnpm backtest` was asked to do, checked. */
export interface BacktestArgs {
  csv: string;
  symbol: string;
  from: string;
  to: string;
  /** model names asked for; null = every loaded model */
  models: string[] | null;
  horizons: number[];
  json: boolean;
  modelsDir: string;
  retrainEvery: RetrainSchedule | undefined;
  refitCache: string | undefined;
  recordTo: string | undefined;
  /** anchor band models scored beside the models (default: both) */
  anchors: AnchorName[];
  garchRefitEvery: number | undefined;
  bands: BandShape | undefined;
  scale: ScaleMethod | undefined;
  sides: ScoreSides | undefined;
  /** ACI step (experiments; default DEFAULT_ACI_GAMMA ships) */
  gamma: number | undefined;
  /** weight of the ewma-normal volatility in the scale (experiments; default DEFAULT_EWMA_SCALE_WEIGHT) */
  ewmaScaleWeight: number | undefined;
  /** score half-life in outcomes, null = equal weights (experiments; default DEFAULT_HALF_LIFE ships) */
  halfLife: number | null | undefined;
  /** anchor weights averaged into the band, null = none (experiments; default DEFAULT_BLEND ships) */
  blend: BlendWeights | null | undefined;
}

/** Parses argv (without node and the script); exits with one line on bad input, prints usage on --help. */
export function parseBacktestArgs(argv: string[]): BacktestArgs | null {
  const values = parseCliArgs(
    argv,
    {
      ...stringFlags(
        'csv',
        'symbol',
        'from',
        'to',
        'models',
        'horizons',
        'models-dir',
        'retrain-every',
        'refit-cache',
        'record-to',
        'anchors',
        'garch-refit-every',
        'bands',
        'scale',
        'sides',
        'gamma',
        'half-life',
        'scale-ewma-weight',
        'blend',
      ),
      json: { type: 'boolean' },
    },
    BACKTEST_USAGE,
  );
  if (values === null) return null;
  const symbol = values.symbol as string | undefined;
  const csv = values.csv as string | undefined;
  if (!symbol || !csv) exitWithError(`--csv and --symbol are required\n${BACKTEST_USAGE}`);
  const recordTo = values['record-to'] as string | undefined;
  const experiments = ['bands', 'scale', 'sides', 'gamma', 'half-life', 'blend', 'scale-ewma-weight'].filter(
    (flag) => values[flag] !== undefined,
  );
  if (experiments.length && recordTo) {
    exitWithError(
      `--record-to records the shipped method only; drop ${experiments.map((f) => `--${f}`).join(', ')}`,
    );
  }
  let modelsDir: string;
  try {
    modelsDir = values['models-dir'] ? resolveUserPath(values['models-dir'] as string) : findModelsDir();
  } catch {
    exitWithError('no models/ folder found; pass --models-dir <dir>');
  }
  const refitCache = values['refit-cache'] as string | undefined;
  const blend = parseBlend(values.blend as string | undefined);
  const ewmaScaleWeight = parseEwmaScaleWeight(values['scale-ewma-weight'] as string | undefined);
  if (blend?.garchT && values.scale === 'ewma-365') {
    exitWithError(
      '--blend garch-t:w needs the garch-t scale (the ewma-365 scale fits no GARCH to take the band from)',
    );
  }
  return {
    csv,
    symbol,
    from: requireDay(values.from as string | undefined, 'from'),
    to: requireDay(values.to as string | undefined, 'to'),
    models: values.models ? (values.models as string).split(',') : null,
    horizons: parseHorizons(values.horizons as string | undefined),
    json: values.json === true,
    modelsDir,
    retrainEvery: parseRetrainEvery(values['retrain-every'] as string | undefined),
    refitCache: refitCache ? resolveUserPath(refitCache) : undefined,
    recordTo: recordTo ? resolveUserPath(recordTo) : undefined,
    anchors: parseAnchors(values.anchors as string | undefined),
    garchRefitEvery: parseGarchRefitEvery(values['garch-refit-every'] as string | undefined),
    bands: parseBands(values.bands as string | undefined),
    scale: parseScale(values.scale as string | undefined),
    sides: parseSides(values.sides as string | undefined),
    gamma: parseGamma(values.gamma as string | undefined),
    halfLife: parseHalfLife(values['half-life'] as string | undefined),
    blend,
    ewmaScaleWeight,
  };
}

function parseScale(value: string | undefined): ScaleMethod | undefined {
  if (value === undefined) return undefined;
  if (!(SCALE_METHODS as readonly string[]).includes(value)) {
    exitWithError(`--scale must be one of ${SCALE_METHODS.join(', ')}, got '${value}'`);
  }
  return value as ScaleMethod;
}

function parseHorizons(value: string | undefined): number[] {
  return (value ?? '1,7,30').split(',').map((h) => {
    const n = Number(h);
    if (!Number.isInteger(n) || n < 1) exitWithError(`--horizons must be positive whole numbers, got '${h}'`);
    return n;
  });
}

function parseAnchors(value: string | undefined): AnchorName[] {
  if (value === undefined) return [...ANCHOR_NAMES];
  if (value === 'none') return [];
  return value.split(',').map((name) => {
    if (!(ANCHOR_NAMES as readonly string[]).includes(name)) {
      exitWithError(`--anchors takes ${ANCHOR_NAMES.join(', ')} (comma list) or none, got '${name}'`);
    }
    return name as AnchorName;
  });
}

function parseGarchRefitEvery(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    exitWithError(`--garch-refit-every must be a whole number of origins ≥ 1, got '${value}'`);
  return n;
}

/** 'yearly' or a whole number of origins ≥ 1. */
function parseRetrainEvery(value: string | undefined): RetrainSchedule | undefined {
  if (value === undefined) return undefined;
  if (value === 'yearly') return 'yearly';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    exitWithError(`--retrain-every must be 'yearly' or a whole number of origins ≥ 1, got '${value}'`);
  }
  return n;
}

/** Band shape across horizons, for comparing with independent per-horizon bands; default is what ships. */
function parseBands(value: string | undefined): BandShape | undefined {
  if (value === undefined) return undefined;
  if (!(BAND_SHAPES as readonly string[]).includes(value)) {
    exitWithError(`--bands must be one of ${BAND_SHAPES.join(', ')}, got '${value}'`);
  }
  return value as BandShape;
}

function parseSides(value: string | undefined): ScoreSides | undefined {
  if (value === undefined) return undefined;
  if (!(SCORE_SIDES as readonly string[]).includes(value)) {
    exitWithError(`--sides must be one of ${SCORE_SIDES.join(', ')}, got '${value}'`);
  }
  return value as ScoreSides;
}

function parseGamma(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 0.1)
    exitWithError(`--gamma must be a number in [0, 0.1], got '${value}'`);
  return n;
}

function parseHalfLife(value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    exitWithError(`--half-life must be a positive number of outcomes or none, got '${value}'`);
  return n;
}

function parseBlend(value: string | undefined): BlendWeights | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'none') return null;
  try {
    return parseBlendWeights(value);
  } catch (error) {
    exitWithError(`--blend: ${(error as Error).message}`);
  }
}

function parseEwmaScaleWeight(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) exitWithError(`--scale-ewma-weight must be a number in [0, 1], got '${value}'`);
  return n;
}
