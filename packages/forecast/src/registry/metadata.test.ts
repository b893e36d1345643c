import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ForecastError } from '../errors.ts';
import { findModelsDir } from './find-models-dir.ts';
import { validateMetadata } from './metadata.ts';

const shipped = (id: string) =>
  JSON.parse(readFileSync(path.join(findModelsDir(), id, 'metadata.json'), 'utf8')) as Record<
    string,
    unknown
  >;

/** The message validateMetadata refuses `raw` with. */
function refusal(raw: unknown): string {
  try {
    validateMetadata(raw, 'models/x');
  } catch (error) {
    expect(error).toBeInstanceOf(ForecastError);
    expect((error as ForecastError).code).toBe('CORRUPT_MODEL');
    return (error as ForecastError).message.replace('model metadata in models/x is invalid: ', '');
  }
  throw new Error('accepted');
}

/** A shipped metadata file with `change` applied to a copy. */
// biome-ignore lint/suspicious/noExplicitAny: an edit reaches anywhere into the parsed JSON
function edited(id: string, change: (m: Record<string, any>) => void): Record<string, unknown> {
  const m = structuredClone(shipped(id));
  change(m);
  return m;
}

describe('validateMetadata', () => {
  it('accepts every shipped model as it is', () => {
    for (const id of ['eth-usd-naive', 'eth-usd-lstm', 'btc-usd-ensemble', 'btc-usd-gru', 'eth-usd-theta']) {
      const raw = shipped(id);
      expect(validateMetadata(raw, id)).toBe(raw);
    }
  });

  it('names the first problem of a bad file', () => {
    expect(refusal(null)).toBe('not a JSON object');
    expect(refusal([1])).toBe('unsupported schemaVersion undefined');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.schemaVersion = 2;
        }),
      ),
    ).toBe('unsupported schemaVersion 2');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.id = '';
        }),
      ),
    ).toBe('missing id');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.name = 'arima';
        }),
      ),
    ).toBe('unknown model name arima');
    expect(refusal(edited('eth-usd-naive', (m) => delete m.symbol))).toBe('missing symbol');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.window = 1.5;
        }),
      ),
    ).toBe('window must be a positive integer');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.maxHorizon = 0;
        }),
      ),
    ).toBe('maxHorizon must be a positive integer');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.minHistory = '9';
        }),
      ),
    ).toBe('minHistory must be a positive integer');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.version = 3;
        }),
      ),
    ).toBe('missing version');
    expect(refusal(edited('eth-usd-naive', (m) => delete m.training.dataHash))).toBe(
      'missing training range or data hash',
    );
    expect(
      refusal(
        edited('eth-usd-lstm', (m) => {
          m.features.scaling.std = 0;
        }),
      ),
    ).toBe('neural model without valid scaling');
    expect(
      refusal(
        edited('btc-usd-ensemble', (m) => {
          m.members = [];
        }),
      ),
    ).toBe('ensemble without members');
    expect(refusal(edited('eth-usd-naive', (m) => delete m.calibration))).toBe('missing calibration');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.calibration.horizons = null;
        }),
      ),
    ).toBe('missing calibration');
    expect(refusal(edited('eth-usd-naive', (m) => delete m.calibration.horizons['30']))).toBe(
      'calibration missing or not finite for horizon 30',
    );
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.calibration.horizons['7'].upper95 = 'wide';
        }),
      ),
    ).toBe('calibration missing or not finite for horizon 7');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.calibration.scale = 'vix';
        }),
      ),
    ).toBe('unknown scale vix');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.calibration.garch.beta = 0.99;
        }),
      ),
    ).toBe('garch-t scale without valid GARCH parameters (ω > 0, α, β ≥ 0, α + β < 1, ν > 2)');
    expect(refusal(edited('eth-usd-naive', (m) => delete m.calibration.garch))).toBe(
      'garch-t scale without valid GARCH parameters (ω > 0, α, β ≥ 0, α + β < 1, ν > 2)',
    );
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.isDefault = 'yes';
        }),
      ),
    ).toBe('isDefault must be a boolean');
    // two problems: the first in the order above is named
    expect(
      refusal(
        edited('eth-usd-lstm', (m) => {
          m.isDefault = null;
          m.features.scaling = null;
        }),
      ),
    ).toBe('neural model without valid scaling');
  });

  it('refuses a calibration without the choices every shipped model records', () => {
    expect(refusal(edited('eth-usd-naive', (m) => delete m.calibration.sides))).toBe(
      'unknown score sides undefined',
    );
    expect(refusal(edited('eth-usd-naive', (m) => delete m.calibration.bands))).toBe(
      'unknown band shape undefined',
    );
    expect(refusal(edited('eth-usd-naive', (m) => delete m.calibration.halfLife))).toBe(
      'calibration halfLife must be a positive number or null',
    );
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.calibration.blend = { garchT: -1, ewmaNormal: 0 };
        }),
      ),
    ).toBe('calibration blend must be null or hold garchT and ewmaNormal weights ≥ 0');
    expect(
      refusal(
        edited('eth-usd-naive', (m) => {
          m.calibration.window = 365;
        }),
      ),
    ).toBe('calibration window must be null (every score is kept)');
    const equalWeights = edited('eth-usd-naive', (m) => {
      m.calibration.halfLife = null;
      m.calibration.blend = null;
    });
    expect(validateMetadata(equalWeights, 'x')).toBe(equalWeights);
  });

  it('accepts an ewma-365 scale without GARCH parameters', () => {
    const raw = edited('eth-usd-naive', (m) => {
      m.calibration.scale = 'ewma-365';
      delete m.calibration.garch;
    });
    expect(validateMetadata(raw, 'x')).toBe(raw);
  });
});
