/**
 * A one-line, secret-free summary of an error for server logs: the innermost cause's name, code and
 * first message line. Drizzle's "Failed query: <sql> params: <values>" wrapper is skipped, so SQL text
 * and parameters (which may hold a password hash) never reach a log line.
 */
export function safeErrorSummary(error: unknown): { name: string; code?: string; message: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 10; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (!cause || typeof cause !== 'object') break;
    current = cause;
  }
  const err = current as { name?: string; code?: unknown; message?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(current);
  const firstLine = message.split('\n')[0] ?? '';
  return {
    name: typeof err?.name === 'string' ? err.name : 'Error',
    ...(typeof err?.code === 'string' ? { code: err.code } : {}),
    message: firstLine.startsWith('Failed query') ? 'database query failed' : firstLine.slice(0, 300),
  };
}

/** PostgreSQL error code of an error or any of its causes (e.g. '23505' unique_violation). */
export function pgErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// postgres.js's own codes for a lost or refused connection, and the operating system's.
const CONNECTION_ERROR_CODES = new Set([
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * True when an error (or a cause) says the database cannot be reached or is restarting: a refused or
 * dropped connection, or PostgreSQL's connection exceptions (class 08), admin/crash shutdown and
 * "starting up" (57P01–57P03), too many connections (53300). The request may succeed if retried.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current && typeof current === 'object'; depth++) {
    const { code, errno } = current as { code?: unknown; errno?: unknown };
    for (const value of [code, errno]) {
      if (typeof value !== 'string') continue;
      if (CONNECTION_ERROR_CODES.has(value)) return true;
      if (/^08[0-9A-Z]{3}$/.test(value) || /^57P0[123]$/.test(value) || value === '53300') return true;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** PostgreSQL's foreign_key_violation: every foreign key here points at `users`, so the user is gone. */
export const FOREIGN_KEY_VIOLATION = '23503';

/** The innermost error carrying a PostgreSQL SQLSTATE, as `{ code, message }` (first line); else null. */
export function databaseErrorOf(error: unknown): { code: string; message: string } | null {
  let found: { code: string; message: string } | null = null;
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current && typeof current === 'object'; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof message === 'string') {
      const firstLine = message.split('\n')[0] ?? '';
      if (!firstLine.startsWith('Failed query')) found = { code, message: firstLine.slice(0, 300) };
    }
    current = (current as { cause?: unknown }).cause;
  }
  return found;
}
