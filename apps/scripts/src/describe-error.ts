import { TRPCClientError } from '@ethcast/client';

/** A DomainError of @ethcast/server (admin:create and the price commands call services directly). */
const isDomainError = (error: unknown): error is Error & { reason: string } =>
  error instanceof Error &&
  error.name === 'DomainError' &&
  typeof (error as { reason?: unknown }).reason === 'string';

/**
 * One line for `ethcast: …` on stderr: the server's sentence and its reason code (the stable part a
 * script can match), whether the error came over HTTP or from a service the CLI called directly.
 */
export function describeError(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; reason?: string } | undefined;
    const code = data?.reason ?? data?.code;
    const cause = error.cause as { code?: string; cause?: { code?: string } } | undefined;
    if (
      !code &&
      (cause?.code === 'ECONNREFUSED' ||
        cause?.cause?.code === 'ECONNREFUSED' ||
        /fetch failed/.test(error.message))
    )
      return 'cannot reach the server (is it running? set ETHCAST_URL)';
    return code ? `${error.message} (${code})` : error.message;
  }
  if (isDomainError(error)) return `${error.message} (${error.reason})`;
  const message = (error as Error)?.message?.split('\n')[0] ?? String(error);
  // Commands that open the database directly (prices:import, admin:create) can fail in a query; drizzle
  // wraps the error as "Failed query: <sql> params: <values>". Say what PostgreSQL said instead.
  if (message.startsWith('Failed query')) {
    let inner: unknown = error;
    while ((inner as { cause?: unknown })?.cause instanceof Error) inner = (inner as { cause: Error }).cause;
    const { message: text, code } = inner as { message?: string; code?: unknown };
    const said = text && !text.startsWith('Failed query') ? text.split('\n')[0] : 'a query failed';
    return `database error: ${said}${typeof code === 'string' ? ` (${code})` : ''}`;
  }
  return message;
}
