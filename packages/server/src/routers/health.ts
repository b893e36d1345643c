import { publicProcedure } from '../trpc.ts';

/** Status, database reachability and server version; also served as plain `GET /health`. */
export const health = publicProcedure.query(async ({ ctx }) => {
  const database = (await ctx.dbHandle.ping()) ? ('up' as const) : ('down' as const);
  return {
    status: database === 'up' ? ('ok' as const) : ('degraded' as const),
    database,
    driver: ctx.dbHandle.driver,
    version: ctx.version,
    uptimeSeconds: Math.round((Date.now() - ctx.startedAt.getTime()) / 1000),
    time: new Date(),
  };
});
