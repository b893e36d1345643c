import { scoreNewOutcomes } from '../db/queries/scores.ts';
import { JOB_DESCRIPTIONS } from './config.ts';
import type { JobDefinition } from './definition.ts';

/** Stores the errors and band hits of every forecast point whose day has got its actual close. */
export const scoreForecastsJob: JobDefinition = {
  name: 'score-forecasts',
  description: JOB_DESCRIPTIONS['score-forecasts'],
  async run({ services }) {
    return scoreNewOutcomes(services.db);
  },
};
