import { z } from 'zod';
import { ForecastError } from '../errors.ts';
import { BAND_SHAPES, type CalibrationJson, SCORE_SIDES } from '../intervals/calibration-types.ts';
import { SCALE_METHODS } from '../intervals/scale-models.ts';
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

/** One schema per check, in the order a bad file's first problem is named. */
const positiveInteger = (key: string) => {
  const error = `${key} must be a positive integer`;
  return z.number({ error }).int({ error }).min(1, { error });
};
const text = (error: string) => z.string({ error });
const nonEmpty = (error: string) => z.string({ error }).min(1, { error });

const header = z.object({
  schemaVersion: z.literal(METADATA_SCHEMA_VERSION, {
    error: (issue) => `unsupported schemaVersion ${String(issue.input)}`,
  }),
  id: nonEmpty('missing id'),
  name: z
    .string({ error: (issue) => `unknown model name ${String(issue.input)}` })
    .refine(isModelName, { error: (issue) => `unknown model name ${String(issue.input)}` }),
  symbol: nonEmpty('missing symbol'),
  window: positiveInteger('window'),
  maxHorizon: positiveInteger('maxHorizon'),
  minHistory: positiveInteger('minHistory'),
  version: text('missing version'),
  training: z.object(
    {
      through: text('missing training range or data hash'),
      dataHash: text('missing training range or data hash'),
    },
    { error: 'missing training range or data hash' },
  ),
});

const neuralFeatures = (() => {
  const error = 'neural model without valid scaling';
  return z.object(
    {
      scaling: z.object(
        { mean: z.number({ error }), std: z.number({ error }).positive({ error }) },
        { error },
      ),
    },
    { error },
  );
})();

const ensembleMembers = z.array(z.unknown(), { error: 'ensemble without members' }).min(1, {
  error: 'ensemble without members',
});

const calibrationHorizons = z.object(
  {
    horizons: z.custom<object>((v) => typeof v === 'object' && v !== null, { error: 'missing calibration' }),
  },
  { error: 'missing calibration' },
);

const horizonQuantiles = z.object({
  lower80: z.number(),
  upper80: z.number(),
  lower95: z.number(),
  upper95: z.number(),
});

const scale = z.enum(SCALE_METHODS, { error: (issue) => `unknown scale ${String(issue.input)}` }).optional();

const garchParams = (() => {
  const error = 'garch-t scale without valid GARCH parameters (ω > 0, α, β ≥ 0, α + β < 1, ν > 2)';
  return z
    .object(
      {
        omega: z.number({ error }).positive({ error }),
        alpha: z.number({ error }).min(0, { error }),
        beta: z.number({ error }).min(0, { error }),
        nu: z.number({ error }).gt(2, { error }),
      },
      { error },
    )
    .refine((g) => g.alpha + g.beta < 1, { error });
})();

/** The calibration's choices, which every shipped model records (see calibration-types.ts). */
const calibrationChoices = z.object({
  sides: z.enum(SCORE_SIDES, { error: (issue) => `unknown score sides ${String(issue.input)}` }),
  bands: z.enum(BAND_SHAPES, { error: (issue) => `unknown band shape ${String(issue.input)}` }),
  halfLife: (() => {
    const error = 'calibration halfLife must be a positive number or null';
    return z.number({ error }).positive({ error }).nullable();
  })(),
  blend: (() => {
    const error = 'calibration blend must be null or hold garchT and ewmaNormal weights ≥ 0';
    const weight = z.number({ error }).min(0, { error });
    return z.object({ garchT: weight, ewmaNormal: weight }, { error }).nullable();
  })(),
  window: z.null({ error: 'calibration window must be null (every score is kept)' }),
});

const isDefault = z.boolean({ error: 'isDefault must be a boolean' });

/** Validates parsed metadata.json; throws CORRUPT_MODEL naming the folder and the first problem found. */
export function validateMetadata(raw: unknown, dir: string): ModelMetadata {
  const fail = (reason: string): never => {
    throw new ForecastError('CORRUPT_MODEL', `model metadata in ${dir} is invalid: ${reason}`, { dir });
  };
  const check = (schema: z.ZodType, value: unknown, reason?: string) => {
    const result = schema.safeParse(value);
    if (!result.success) fail(reason ?? result.error.issues[0]?.message ?? 'invalid');
  };
  if (typeof raw !== 'object' || raw === null) return fail('not a JSON object');
  const m = raw as ModelMetadata;
  // field by field, also for an array (whose first problem is then its missing schemaVersion)
  check(header, { ...m });
  if (m.kind === 'neural') check(neuralFeatures, m.features);
  if (m.name === 'ensemble') check(ensembleMembers, m.members);
  check(calibrationHorizons, m.calibration);
  const c = m.calibration;
  for (let h = 1; h <= m.maxHorizon; h++) {
    check(horizonQuantiles, c.horizons[String(h)], `calibration missing or not finite for horizon ${h}`);
  }
  check(scale, c.scale);
  if (c.scale === 'garch-t') check(garchParams, c.garch);
  check(calibrationChoices, c);
  check(isDefault, m.isDefault);
  return m;
}
