import { existsSync } from 'node:fs';
import { hasAnyPrices } from '../db/queries/prices.ts';
import type { ServerConfig } from '../env.ts';
import type { Services } from '../services.ts';
import { importPrices } from './import.ts';
import { type SyncOptions, syncPrices } from './sync.ts';

export type BootstrapLog = { info(message: string): void; warn(message: string): void };

export type BootstrapResult = 'skipped' | 'imported' | 'synced' | 'none';

/**
 * First start on an empty database: import PRICES_CSV if it names a file, else sync from the exchange;
 * if neither works, say in one line how to load prices. Never throws: the server runs without prices.
 */
export async function bootstrapPrices(
  services: Pick<Services, 'db'>,
  config: Pick<ServerConfig, 'pricesCsv' | 'pricesSymbol' | 'pricesSyncUrl'>,
  log: BootstrapLog,
  /** for tests: the clock, first day and backoff of the sync */
  syncOptions: Pick<SyncOptions, 'now' | 'since' | 'sleep' | 'retries'> = {},
): Promise<BootstrapResult> {
  const symbol = config.pricesSymbol;
  const problems: string[] = [];
  try {
    if (await hasAnyPrices(services.db)) return 'skipped';
    if (config.pricesCsv) {
      if (existsSync(config.pricesCsv)) {
        try {
          const r = await importPrices(services.db, config.pricesCsv, {
            symbol,
            by: { userId: null, username: null, via: 'PRICES_CSV at start' },
          });
          log.info(
            `prices: imported ${r.inserted} ${symbol} days from ${config.pricesCsv} (${r.firstDay} → ${r.lastDay})`,
          );
          return 'imported';
        } catch (error) {
          problems.push(`import of PRICES_CSV failed: ${(error as Error).message}`);
        }
      } else {
        problems.push(`PRICES_CSV ${config.pricesCsv} does not exist`);
      }
    }
    if (config.pricesSyncUrl) {
      try {
        const r = await syncPrices(services.db, {
          symbol,
          baseUrl: config.pricesSyncUrl,
          retries: 2,
          ...syncOptions,
          by: { userId: null, username: null, via: 'first start' },
        });
        if (r.inserted > 0) {
          log.info(
            `prices: synced ${r.inserted} ${symbol} days from ${config.pricesSyncUrl} (to ${r.lastDay})`,
          );
          return 'synced';
        }
        problems.push(`sync from ${config.pricesSyncUrl} returned no days`);
      } catch (error) {
        problems.push((error as Error).message);
      }
    } else {
      problems.push('sync is off (PRICES_SYNC_URL)');
    }
  } catch (error) {
    problems.push((error as Error).message);
  }
  log.warn(
    `No prices loaded (${problems.join('; ')}): run "pnpm ethcast prices:import <file> --symbol ${symbol}" or set PRICES_CSV`,
  );
  return 'none';
}
