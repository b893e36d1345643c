import { logRoutes } from './logs.ts';
import { predictRoutes } from './predicts.ts';
import { type LegacyRoute, validationErrorSchema } from './route.ts';
import { userRoutes } from './users.ts';

/** Every route of the legacy FastAPI backend, answered by the tRPC procedures. */
export const legacyRoutes: LegacyRoute[] = [...userRoutes, ...logRoutes, ...predictRoutes].map((route) => ({
  ...route,
  errorAnswers: { 422: validationErrorSchema, ...route.errorAnswers },
}));
