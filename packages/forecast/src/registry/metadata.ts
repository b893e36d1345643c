import { ForecastError } from '../errors.ts';
import type { CalibrationJson } from '../intervals/conformal.ts';
import { isModelName, type ModelKind, type ModelName } from '../models/point-model.ts';
import type { ReturnScaling } from '../neural/features.ts';
import type { HorizonMetrics } from '../types.ts';

export const METADATA_SCHEMA_VERSION = 1;

/** Contents of models/<id>/metadata.json. */
export interface ModelMetadata {
  schemaVersion: number;
  id: string;
  name: ModelName;
  kind: ModelKind;
  symbol: string;
  window: number;
  maxHorizon: number;
  minHistory: number;
  version: string;
  features: {
    input: string;
    target: string;
    /** neural models only; fitted on the training window */
    scaling: ReturnScaling | null;
  };
  training: {
    from: string;
    through: string;
    rows: number;
    /** sha256 of the `day,close` lines of the training range */
    dataHash: string;
    seed: number | null;
    bestEpoch?: number;
    epochs?: { epoch: number; loss: number; valLoss: number; seconds: number }[];
    trainSamples?: number;
    validationSamples?: number;
    validationFrom?: string;
  };
  hyperparameters: Record<string, number | string | boolean | string[]>;
  /** ensemble only: names of member models of the same symbol */
  members?: ModelName[];
  calibration: CalibrationJson;
  /** out-of-sample backtest of this model's recipe (trained on data before `from`), recorded by the backtest CLI */
  backtest: {
    from: string;
    to: string;
    command: string;
    modelsTrainedThrough: string | null;
    metrics: Record<string, HorizonMetrics>;
    /** mean MAE ratio over the backtest horizons; the default model has the lowest */
    score: number;
  } | null;
  isDefault: boolean;
  createdAt: string;
}

export function modelId(symbol: string, name: string): string {
  return `${symbol.toLowerCase()}-${name}`;
}

export function modelVersion(trainedThrough: string, dataHash: string): string {
  return `${trainedThrough}.${dataHash.slice(0, 8)}`;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Validates parsed metadata.json; throws CORRUPT_MODEL naming the folder and the first problem found. */
export function validateMetadata(raw: unknown, dir: string): ModelMetadata {
  const fail = (reason: string): never => {
    throw new ForecastError('CORRUPT_MODEL', `model metadata in ${dir} is invalid: ${reason}`, { dir });
  };
  if (typeof raw !== 'object' || raw === null) return fail('not a JSON object');
  const m = raw as Partial<ModelMetadata>;
  if (m.schemaVersion !== METADATA_SCHEMA_VERSION)
    fail(`unsupported schemaVersion ${String(m.schemaVersion)}`);
  if (typeof m.id !== 'string' || !m.id) fail('missing id');
  if (typeof m.name !== 'string' || !isModelName(m.name)) fail(`unknown model name ${String(m.name)}`);
  if (typeof m.symbol !== 'string' || !m.symbol) fail('missing symbol');
  for (const key of ['window', 'maxHorizon', 'minHistory'] as const) {
    const v = m[key];
    if (!isFiniteNumber(v) || v < 1 || !Number.isInteger(v)) fail(`${key} must be a positive integer`);
  }
  if (typeof m.version !== 'string') fail('missing version');
  if (!m.training || typeof m.training.through !== 'string' || typeof m.training.dataHash !== 'string') {
    fail('missing training range or data hash');
  }
  if (m.kind === 'neural') {
    const s = m.features?.scaling;
    if (!s || !isFiniteNumber(s.mean) || !isFiniteNumber(s.std) || s.std <= 0)
      fail('neural model without valid scaling');
  }
  if (m.name === 'ensemble' && (!Array.isArray(m.members) || m.members.length === 0))
    fail('ensemble without members');
  const c = m.calibration;
  if (!c || typeof c.horizons !== 'object' || c.horizons === null) return fail('missing calibration');
  for (let h = 1; h <= (m.maxHorizon as number); h++) {
    const q = c.horizons[String(h)];
    if (!q || ![q.lower80, q.upper80, q.lower95, q.upper95].every(isFiniteNumber)) {
      fail(`calibration missing or not finite for horizon ${h}`);
    }
  }
  if (c.scale !== undefined && c.scale !== 'ewma-365' && c.scale !== 'garch-t')
    fail(`unknown scale ${String(c.scale)}`);
  if (c.scale === 'garch-t') {
    const g = c.garch;
    if (
      !g ||
      ![g.omega, g.alpha, g.beta, g.nu].every(isFiniteNumber) ||
      g.omega <= 0 ||
      g.alpha < 0 ||
      g.beta < 0 ||
      g.alpha + g.beta >= 1 ||
      g.nu <= 2
    ) {
      fail('garch-t scale without valid GARCH parameters (ω > 0, α, β ≥ 0, α + β < 1, ν > 2)');
    }
  }
  if (typeof m.isDefault !== 'boolean') fail('isDefault must be a boolean');
  return m as ModelMetadata;
}
