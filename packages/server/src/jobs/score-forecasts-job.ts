import { scoreNewOutcomes } from '../db/queries/scores.ts';
import type { JobDefinition } from './definition.ts';

/** Stores the errors and band hits of every forecast point whose day has got its actual close. */
export const scoreForecastsJob: JobDefinition = {
  name: 'score-forecasts',
  description: 'score the stored forecasts whose days have actual closes now',
  async run({ services }) {
    return scoreNewOutcomes(services.db);
  },
};
