import type { JobDefinition } from './definition.ts';
import { recalibrateJob } from './recalibrate-job.ts';
import { scoreForecastsJob } from './score-forecasts-job.ts';
import { syncPricesJob } from './sync-prices-job.ts';

/** Every job a server runs, in the order a day's runs go. */
export const jobDefinitions: readonly JobDefinition[] = [syncPricesJob, scoreForecastsJob, recalibrateJob];
