import type { JobRunFailure } from '../db/queries/job-runs.ts';
import { isDomainError } from '../domain/errors.ts';
import { ExchangeResponseError } from '../prices/coinbase.ts';
import { FetchError } from '../prices/retry.ts';

/** A run that failed for reasons it can name: several symbols' failures in one run of sync-prices. */
export class JobFailure extends Error {
  override name = 'JobFailure';
  constructor(
    message: string,
    readonly failures: JobRunFailure[],
  ) {
    super(message);
  }
}

/**
 * Why a sync of one symbol failed, as a reason code and params: the exchange did not answer, refused
 * (its HTTP status), or sent no candles. Anything else is internal (its text stays in the server log).
 */
export function syncFailure(symbol: string, error: unknown): JobRunFailure {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof FetchError)
    return cause.status === null
      ? { symbol, reason: 'EXCHANGE_UNREACHABLE', params: { symbol } }
      : { symbol, reason: 'EXCHANGE_REFUSED', params: { symbol, status: cause.status } };
  if (cause instanceof ExchangeResponseError)
    return { symbol, reason: 'EXCHANGE_BAD_RESPONSE', params: { symbol } };
  if (isDomainError(error)) return { symbol, reason: error.reason, params: error.params };
  return { symbol, reason: 'JOB_FAILED', params: { symbol } };
}

/** The reason codes a failed run records: a job's own, a DomainError's, else JOB_FAILED (internal). */
export function jobFailures(error: unknown): JobRunFailure[] {
  if (error instanceof JobFailure) return error.failures;
  if (isDomainError(error)) return [{ reason: error.reason, params: error.params }];
  return [{ reason: 'JOB_FAILED', params: {} }];
}
