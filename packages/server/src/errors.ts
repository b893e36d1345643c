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
