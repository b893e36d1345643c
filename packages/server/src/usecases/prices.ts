import type { Readable } from 'node:stream';
import type { Executor } from '../db/client.ts';
import { getLatestPrice, getPriceRange, listSymbols } from '../db/queries/prices.ts';
import { actions } from '../domain/actions.ts';
import { fail } from '../domain/errors.ts';
import {
  type ImportOptions,
  type ImportReport,
  importPrices,
  type PriceChangeHook,
  type PriceChangeSummary,
} from '../prices/import.ts';
import { SyncError, type SyncOptions, type SyncReport, syncPrices } from '../prices/sync.ts';
import type { Services } from '../services.ts';
import { actorOf, audit } from './audit.ts';
import { requireAdmin, type Viewer } from './viewer.ts';

/** Enough for every daily candle since 2009 in one chart request, small enough to stay cheap. */
export const RANGE_LIMIT = 10_000;

/**
 * The audit-log row of an import or a sync, written in the transaction of its rows: who (the signed-in
 * admin, or nobody named with the system viewer's `via` after the source), which symbols, rows inserted
 * and updated.
 */
function auditPriceChange(viewer: Viewer, verb: 'imported' | 'synced'): PriceChangeHook {
  return async (tx: Executor, change: PriceChangeSummary) => {
    const counts = {
      symbols: change.symbols,
      inserted: change.inserted,
      updated: change.updated,
      origin: viewer.kind === 'system' ? `${change.source}, ${viewer.via}` : change.source,
    };
    const action = verb === 'imported' ? actions.pricesImported(counts) : actions.pricesSynced(counts);
    await audit(tx, actorOf(viewer), action);
  };
}

export type ImportPriceFileInput = Omit<ImportOptions, 'audit'> & { file: string | Readable };

/**
 * Admins (or the system: the first start's PRICES_CSV, the CLI on the database) import a price file,
 * from a path or a stream: all or nothing (or skip-bad), with one audit row in the rows' transaction.
 */
export async function importPriceFile(
  services: Pick<Services, 'db'>,
  viewer: Viewer,
  input: ImportPriceFileInput,
): Promise<ImportReport> {
  requireAdmin(viewer);
  const { file, ...options } = input;
  return importPrices(services.db, file, { ...options, audit: auditPriceChange(viewer, 'imported') });
}

/** Admins (or the system: a job, the first start, the CLI) fetch the closed days since the last stored one. */
export async function syncPriceHistory(
  services: Pick<Services, 'db'>,
  viewer: Viewer,
  input: Omit<SyncOptions, 'audit'>,
): Promise<SyncReport> {
  requireAdmin(viewer);
  return syncPrices(services.db, { ...input, audit: auditPriceChange(viewer, 'synced') });
}

/**
 * Admins sync from the server's PRICES_SYNC_URL (what `pnpm ethcast prices:sync` calls while a server
 * runs): PRICE_SYNC_OFF without one, PRICE_SYNC_FAILED when the exchange cannot be read.
 */
export async function syncFromConfiguredExchange(
  services: Services,
  viewer: Viewer,
  input: { symbol?: string | undefined; since?: string | undefined },
): Promise<SyncReport> {
  requireAdmin(viewer);
  const baseUrl = services.config.pricesSyncUrl;
  if (!baseUrl) fail('PRICE_SYNC_OFF');
  try {
    return await syncPriceHistory(services, viewer, {
      symbol: input.symbol ?? services.config.pricesSymbol,
      baseUrl,
      ...(input.since ? { since: input.since } : {}),
    });
  } catch (error) {
    if (error instanceof SyncError) fail('PRICE_SYNC_FAILED', { detail: error.message });
    throw error;
  }
}

/** Stored symbols with their first and last day, row count and gaps. */
export const listPriceSymbols = async (services: Services, _viewer: Viewer) => listSymbols(services.db);

/** Daily candles for charts, ascending; at most `limit` (default and cap 10,000), the most recent. */
export async function priceRange(
  services: Services,
  _viewer: Viewer,
  input: { symbol: string; from?: string | undefined; to?: string | undefined; limit?: number | undefined },
) {
  const { candles, truncated } = await getPriceRange(services.db, {
    symbol: input.symbol,
    ...(input.from ? { from: input.from } : {}),
    ...(input.to ? { to: input.to } : {}),
    limit: input.limit ?? RANGE_LIMIT,
  });
  return { symbol: input.symbol, candles, truncated };
}

/** The latest stored day of a symbol, or NO_PRICES. */
export async function latestPrice(services: Services, _viewer: Viewer, input: { symbol: string }) {
  const latest = await getLatestPrice(services.db, { symbol: input.symbol });
  if (!latest) fail('NO_PRICES', { symbol: input.symbol });
  return { symbol: input.symbol, ...latest };
}
