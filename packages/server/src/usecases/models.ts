import { trackRecord } from '../forecasts/track-record.ts';
import type { Services } from '../services.ts';
import type { Viewer } from './viewer.ts';

/** The registry: every model per symbol with its backtest against persistence; `isDefault` marks the best. */
export async function listModels(
  services: Services,
  _viewer: Viewer,
  input: { symbol?: string | undefined },
) {
  return (await services.models()).list(input.symbol);
}

/** How each model's served forecasts turned out (scored by the score-forecasts job); anyone may read it. */
export async function modelTrackRecord(
  services: Services,
  _viewer: Viewer,
  input: Parameters<typeof trackRecord>[1],
): ReturnType<typeof trackRecord> {
  return trackRecord(services, input);
}
