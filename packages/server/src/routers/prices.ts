import { z } from 'zod';
import { withCode } from '../domain/input-errors.ts';
import { daySchema, symbolSchema } from '../prices/symbol.ts';
import { latestPriceOutput, priceRangeOutput, symbolsOutput, syncReportOutput } from '../schemas/prices.ts';
import { adminProcedure, publicProcedure, router } from '../trpc.ts';
import {
  latestPrice,
  listPriceSymbols,
  priceRange,
  RANGE_LIMIT,
  syncFromConfiguredExchange,
} from '../usecases/prices.ts';
import { fromNotAfterTo } from '../validation.ts';
import { useCase } from './use-case.ts';

export { RANGE_LIMIT };

const rangeInput = z
  .strictObject({
    symbol: symbolSchema,
    from: daySchema.optional(),
    to: daySchema.optional(),
    limit: z.number().int('must be an integer').min(1).max(RANGE_LIMIT).optional(),
  })
  .refine(fromNotAfterTo, { ...withCode('FROM_AFTER_TO'), path: ['from'] });

const syncInput = z
  .strictObject({ symbol: symbolSchema.optional(), since: daySchema.optional() })
  .default({});
const latestInput = z.strictObject({ symbol: symbolSchema });

export const pricesRouter = router({
  /** Stored symbols with their first and last day, row count and gaps. */
  symbols: publicProcedure.output(symbolsOutput).query(useCase(listPriceSymbols)),

  /** Daily candles for charts, ascending; at most `limit` (default and cap 10,000), the most recent. */
  range: publicProcedure.input(rangeInput).output(priceRangeOutput).query(useCase(priceRange)),

  /**
   * Admins: fetch the closed days since the last stored one from the server's PRICES_SYNC_URL (what
   * `pnpm ethcast prices:sync` calls while a server runs). All or nothing, like the CLI's direct sync.
   */
  sync: adminProcedure
    .input(syncInput)
    .output(syncReportOutput)
    .mutation(useCase(syncFromConfiguredExchange)),

  latest: publicProcedure.input(latestInput).output(latestPriceOutput).query(useCase(latestPrice)),
});
