import { existsSync } from 'node:fs';
import { hasAnyPrices } from '../db/queries/prices.ts';
import type { ServerConfig } from '../env.ts';
import type { SyncOptions } from '../prices/sync.ts';
import type { Services } from '../services.ts';
import { importPriceFile, syncPriceHistory } from '../usecases/prices.ts';
import { systemViewer } from '../usecases/viewer.ts';

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
          const r = await importPriceFile(services, systemViewer('PRICES_CSV at start'), {
            file: config.pricesCsv,
            symbol,
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
        const r = await syncPriceHistory(services, systemViewer('first start'), {
          symbol,
          baseUrl: config.pricesSyncUrl,
          retries: 2,
          ...syncOptions,
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
