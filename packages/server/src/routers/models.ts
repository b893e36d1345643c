import { z } from 'zod';
import { symbolSchema } from '../prices/symbol.ts';
import { publicProcedure, router } from '../trpc.ts';

export const modelsRouter = router({
  /** The registry: every model per symbol with its backtest against persistence; `isDefault` marks the best. */
  list: publicProcedure
    .input(z.strictObject({ symbol: symbolSchema.optional() }).default({}))
    .query(async ({ ctx, input }) => (await ctx.models()).list(input.symbol)),
});
