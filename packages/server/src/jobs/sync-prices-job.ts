import { listSymbols } from '../db/queries/prices.ts';
import { syncPrices } from '../prices/sync.ts';
import type { JobDefinition } from './definition.ts';

/**
 * Syncs every tracked symbol (every symbol with stored prices, else PRICES_SYMBOL) from the exchange:
 * the closed days since its last stored one, each symbol all or nothing (prices/sync.ts), with the
 * sync's own retries. One symbol failing does not stop the others; the run then fails so the queue
 * retries it, and the retry fetches only what is still missing.
 */
export const syncPricesJob: JobDefinition = {
  name: 'sync-prices',
  description: 'fetch the closed days of every tracked symbol from the exchange',
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
    const failures: string[] = [];
    for (const symbol of symbols) {
      try {
        const report = await syncPrices(services.db, {
          symbol,
          baseUrl,
          now: clock(),
          retries: 3,
          by: { userId: null, username: null, via: 'job sync-prices' },
        });
        synced.push({
          symbol,
          from: report.from,
          to: report.to,
          inserted: report.inserted,
          updated: report.updated,
        });
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    if (failures.length > 0) throw new Error(failures.join('; '));
    return { symbols: synced };
  },
};
