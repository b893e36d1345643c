import { listSymbols } from '../db/queries/prices.ts';
import { syncPriceHistory } from '../usecases/prices.ts';
import { systemViewer } from '../usecases/viewer.ts';
import { JOB_DESCRIPTIONS } from './config.ts';
import type { JobDefinition } from './definition.ts';
import { JobFailure, syncFailure } from './failure.ts';

/**
 * Syncs every tracked symbol (every symbol with stored prices, else PRICES_SYMBOL) from the exchange:
 * the closed days since its last stored one, each symbol all or nothing (prices/sync.ts), with the
 * sync's own retries. One symbol failing does not stop the others; the run then fails so the queue
 * retries it, and the retry fetches only what is still missing. A failed run records each failing
 * symbol's reason code and params (jobs/failure.ts), for screens to translate.
 */
export const syncPricesJob: JobDefinition = {
  name: 'sync-prices',
  description: JOB_DESCRIPTIONS['sync-prices'],
  async run({ services, clock }) {
    const baseUrl = services.config.pricesSyncUrl;
    if (!baseUrl) return { skipped: 'PRICES_SYNC_URL is off' };
    const tracked = (await listSymbols(services.db)).map((s) => s.symbol);
    const symbols = tracked.length > 0 ? tracked : [services.config.pricesSymbol];
    const synced: {
      symbol: string;
      from: string | null;
      to: string | null;
      inserted: number;
      updated: number;
    }[] = [];
    const failures: { message: string; failure: ReturnType<typeof syncFailure> }[] = [];
    for (const symbol of symbols) {
      try {
        const report = await syncPriceHistory(services, systemViewer('job sync-prices'), {
          symbol,
          baseUrl,
          now: clock(),
          retries: 3,
        });
        synced.push({
          symbol,
          from: report.from,
          to: report.to,
          inserted: report.inserted,
          updated: report.updated,
        });
      } catch (error) {
        failures.push({ message: (error as Error).message, failure: syncFailure(symbol, error) });
      }
    }
    if (failures.length > 0)
      throw new JobFailure(
        failures.map((f) => f.message).join('; '),
        failures.map((f) => f.failure),
      );
    return { symbols: synced };
  },
};
