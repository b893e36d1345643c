export type ForecastErrorCode =
  | 'UNKNOWN_MODEL'
  | 'HORIZON_TOO_LONG'
  | 'HISTORY_TOO_SHORT'
  | 'BAD_HISTORY'
  | 'BAD_SYMBOL'
  | 'CORRUPT_MODEL';

/** Errors whose message is safe to show to a user as-is; `code` lets callers map them to HTTP statuses. */
export class ForecastError extends Error {
  readonly code: ForecastErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ForecastErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ForecastError';
    this.code = code;
    if (details) this.details = details;
  }
}
