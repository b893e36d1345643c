import { z } from 'zod';
import { getLatestPrice, getPriceRange, listSymbols } from '../db/queries/prices.ts';
import { fail } from '../domain/errors.ts';
import { withCode } from '../domain/input-errors.ts';
import { daySchema, symbolSchema } from '../prices/symbol.ts';
import { SyncError, syncPrices } from '../prices/sync.ts';
import { latestPriceOutput, priceRangeOutput, symbolsOutput, syncReportOutput } from '../schemas/prices.ts';
import { adminProcedure, publicProcedure, router } from '../trpc.ts';
import { fromNotAfterTo } from '../validation.ts';

/** Enough for every daily candle since 2009 in one chart request, small enough to stay cheap. */
export const RANGE_LIMIT = 10_000;

const rangeInput = z
  .strictObject({
    symbol: symbolSchema,
    from: daySchema.optional(),
    to: daySchema.optional(),
    limit: z.number().int('must be an integer').min(1).max(RANGE_LIMIT).optional(),
  })
  .refine(fromNotAfterTo, { ...withCode('FROM_AFTER_TO'), path: ['from'] });

export const pricesRouter = router({
  /** Stored symbols with their first and last day, row count and gaps. */
  symbols: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/prices/symbols' } })
    .output(symbolsOutput)
    .query(({ ctx }) => listSymbols(ctx.db)),

  /** Daily candles for charts, ascending; at most `limit` (default and cap 10,000), the most recent. */
  range: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/prices/range' } })
    .input(rangeInput)
    .output(priceRangeOutput)
    .query(async ({ ctx, input }) => {
      const { candles, truncated } = await getPriceRange(ctx.db, {
        symbol: input.symbol,
        ...(input.from ? { from: input.from } : {}),
        ...(input.to ? { to: input.to } : {}),
        limit: input.limit ?? RANGE_LIMIT,
      });
      return { symbol: input.symbol, candles, truncated };
    }),

  /**
   * Admins: fetch the closed days since the last stored one from the server's PRICES_SYNC_URL (what
   * `pnpm ethcast prices:sync` calls while a server runs). All or nothing, like the CLI's direct sync.
   */
  sync: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/prices/sync' } })
    .input(z.strictObject({ symbol: symbolSchema.optional(), since: daySchema.optional() }).default({}))
    .output(syncReportOutput)
    .mutation(async ({ ctx, input }) => {
      const baseUrl = ctx.config.pricesSyncUrl;
      if (!baseUrl) fail('PRICE_SYNC_OFF');
      try {
        return await syncPrices(ctx.db, {
          symbol: input.symbol ?? ctx.config.pricesSymbol,
          baseUrl,
          ...(input.since ? { since: input.since } : {}),
          by: { userId: ctx.user.id, username: ctx.user.username },
        });
      } catch (error) {
        if (error instanceof SyncError) fail('PRICE_SYNC_FAILED', { detail: error.message });
        throw error;
      }
    }),

  latest: publicProcedure
    .meta({ openapi: { method: 'GET', path: '/prices/latest' } })
    .input(z.strictObject({ symbol: symbolSchema }))
    .output(latestPriceOutput)
    .query(async ({ ctx, input }) => {
      const latest = await getLatestPrice(ctx.db, { symbol: input.symbol });
      if (!latest) fail('NO_PRICES', { symbol: input.symbol });
      return { symbol: input.symbol, ...latest };
    }),
});
