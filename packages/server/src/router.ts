import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { health } from './routers/health.ts';
import { jobsRouter } from './routers/jobs.ts';
import { logsRouter } from './routers/logs.ts';
import { modelsRouter } from './routers/models.ts';
import { predictsRouter } from './routers/predicts.ts';
import { pricesRouter } from './routers/prices.ts';
import { usersRouter } from './routers/users.ts';
import { createCallerFactory, router } from './trpc.ts';

export const appRouter = router({
  health,
  users: usersRouter,
  logs: logsRouter,
  prices: pricesRouter,
  models: modelsRouter,
  predicts: predictsRouter,
  jobs: jobsRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
