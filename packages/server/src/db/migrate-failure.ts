import { EnvError } from '../env.ts';
import { databaseErrorOf } from '../errors.ts';
import { DatabaseLockedError } from './folder-lock.ts';

/** A database URL fit to print: the password, if any, is replaced by ***. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** The first error code on the cause chain (ECONNREFUSED, 28P01, …). */
function codeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 10 && current && typeof current === 'object'; depth++) {
    const { code } = current as { code?: unknown };
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * What `pnpm db:migrate` prints when it fails: one line saying what failed and where, never a stack
 * trace or SQL text. Migrations run in one transaction, so none of them was applied.
 */
export function describeMigrationFailure(error: unknown, url: string | null): string {
  if (error instanceof EnvError || error instanceof DatabaseLockedError)
    return `migration failed: ${error.message}`;
  const at = url ? ` at ${redactUrl(url)}` : '';
  const code = codeOf(error);
  switch (code) {
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
      return `migration failed: cannot reach the database${at} (${code})`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `migration failed: cannot resolve the database host${at} (${code})`;
    case 'CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `migration failed: cannot reach the database${at} (timed out)`;
    case '28P01':
    case '28000':
      return `migration failed: the database${at} refused the credentials (${code})`;
    case '3D000':
      return `migration failed: the database${at} does not exist (${code})`;
    case 'ERR_INVALID_URL':
      return `migration failed: DATABASE_URL${url ? ` ${redactUrl(url)}` : ''} is not a valid URL`;
  }
  const database = databaseErrorOf(error);
  if (database) {
    return `migration failed: ${database.code} ${database.message} (in the database${at}; nothing was applied)`;
  }
  const message = (error as { message?: unknown })?.message;
  const firstLine = typeof message === 'string' ? message.split('\n')[0] : '';
  if (firstLine === 'Invalid URL')
    return `migration failed: DATABASE_URL${url ? ` ${redactUrl(url)}` : ''} is not a valid URL`;
  if (!firstLine || firstLine.startsWith('Failed query'))
    return `migration failed: a query failed in the database${at}; nothing was applied`;
  return `migration failed: ${firstLine}${at ? ` (database${at})` : ''}`;
}
