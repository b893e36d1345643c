import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { type Reason, reasons } from '../domain/errors.ts';

/**
 * The refusals each procedure may answer with besides those its access level and its input imply
 * (401, 403, 422 and the body's 400/413/415 are derived from those). The document lists exactly the
 * statuses these lead to; document.test.ts checks that every procedure has its entry, and the contract
 * test that every answer's status is listed.
 */
export const procedureReasons: Record<string, readonly Reason[]> = {
  health: ['NOT_READY'],
  'users.register': ['USERNAME_TAKEN', 'RATE_LIMITED', 'SERVER_BUSY'],
  'users.createAdmin': ['USERNAME_TAKEN', 'SERVER_BUSY'],
  'users.bootstrapAdmin': ['ADMIN_TOKEN_INVALID', 'ADMIN_EXISTS', 'USERNAME_TAKEN', 'SERVER_BUSY'],
  'users.login': ['WRONG_CREDENTIALS', 'LOGIN_LOCKED', 'SERVER_BUSY'],
  'users.logout': [],
  'users.me': [],
  'users.list': [],
  'users.byId': ['NOT_FOUND'],
  'users.byUsername': ['NOT_FOUND'],
  'users.update': [
    'NOT_FOUND',
    'NOTHING_TO_CHANGE',
    'ROLE_CHANGE_ADMIN_ONLY',
    'CURRENT_PASSWORD_REQUIRED',
    'CURRENT_PASSWORD_WRONG',
    'LAST_ADMIN_DEMOTION',
    'USERNAME_TAKEN',
    'SERVER_BUSY',
  ],
  'users.delete': ['NOT_FOUND', 'LAST_ADMIN_DELETION'],
  'logs.list': [],
  'logs.byId': ['NOT_FOUND'],
  'logs.update': ['NOT_FOUND'],
  'logs.delete': ['NOT_FOUND'],
  'prices.symbols': [],
  'prices.range': [],
  'prices.sync': ['PRICE_SYNC_OFF', 'PRICE_SYNC_FAILED'],
  'prices.latest': ['NO_PRICES'],
  'models.list': ['MODEL_REGISTRY_UNAVAILABLE'],
  'models.trackRecord': ['MODEL_REGISTRY_UNAVAILABLE'],
  'predicts.create': [
    'UNKNOWN_MODEL',
    'NO_MODELS_FOR_SYMBOL',
    'HORIZON_TOO_LONG',
    'HISTORY_TOO_SHORT',
    'FORECASTS_BUSY',
    'MODEL_REGISTRY_UNAVAILABLE',
    'FORECAST_FAILED',
  ],
  'predicts.list': [],
  'predicts.byId': ['NOT_FOUND'],
  'predicts.update': ['NOT_FOUND'],
  'predicts.delete': ['NOT_FOUND'],
  'jobs.list': [],
  'jobs.runs': ['UNKNOWN_JOB'],
  'jobs.run': ['UNKNOWN_JOB', 'JOBS_DISABLED'],
};

/** The HTTP status a reason is answered with on the REST faces (invalid input is 422, as FastAPI did). */
export function statusOfReason(reason: Reason): number {
  if (reason === 'INVALID_INPUT') return 422;
  return getHTTPStatusCodeFromError(new TRPCError({ code: reasons[reason].kind }));
}

/** The reasons of the given procedures (an unknown procedure is a programming error). */
export function reasonsOf(procedures: readonly string[]): Reason[] {
  return procedures.flatMap((path) => {
    const known = procedureReasons[path];
    if (!known) throw new Error(`openapi/errors.ts: no refusals listed for procedure ${path}`);
    return [...known];
  });
}
