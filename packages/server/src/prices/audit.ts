import type { Executor } from '../db/client.ts';
import { writeLog } from '../db/queries/logs.ts';
import { actions } from '../domain/actions.ts';

/**
 * Who changes the prices, for the audit-log row an import or a sync writes in the transaction of its
 * rows: the signed-in admin, or nobody named (a job, the first start, the CLI on the database) with
 * `via` saying which.
 */
export type PriceAuditor = { userId: number | null; username: string | null; via?: string };

/** The audit-log row of an import or a sync: who, which symbols, rows inserted and updated, from where. */
export async function auditPriceChange(
  tx: Executor,
  verb: 'imported' | 'synced',
  by: PriceAuditor | undefined,
  change: { symbols: string[]; inserted: number; updated: number; source: string },
) {
  const counts = {
    symbols: change.symbols,
    inserted: change.inserted,
    updated: change.updated,
    origin: by?.via ? `${change.source}, ${by.via}` : change.source,
  };
  await writeLog(tx, {
    userId: by?.userId ?? null,
    username: by?.username ?? null,
    action: verb === 'imported' ? actions.pricesImported(counts) : actions.pricesSynced(counts),
  });
}
