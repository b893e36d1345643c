import { DatabaseLockedError } from './db/folder-lock.ts';
import { EnvError } from './env.ts';
import { databaseErrorOf } from './errors.ts';

/** One clear line on stderr and exit 1: no stack traces for configuration or connection errors. */
export function fatal(error: unknown): never {
  console.error(`ethcast: ${describeStartupError(error)}`);
  process.exit(1);
}

export function describeStartupError(error: unknown): string {
  if (error instanceof EnvError || error instanceof DatabaseLockedError) return error.message;
  const err = error as { code?: string; message?: string; cause?: unknown };
  const code = err?.code ?? (err?.cause as { code?: string } | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'cannot connect to the database (connection refused): check DATABASE_URL';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'cannot resolve the database host: check DATABASE_URL';
    case 'CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'database connection timed out: check DATABASE_URL';
    case '28P01':
    case '28000':
      return 'database authentication failed: check DATABASE_URL credentials';
    case '3D000':
      return 'database does not exist: check DATABASE_URL';
    case 'EADDRINUSE':
      return 'the port is already in use: set PORT to a free port';
    case 'EACCES':
      return 'permission denied binding the port: use a PORT above 1024';
  }
  // The database's own words and code (e.g. 42P07 relation "logs_id_seq" already exists), never the
  // "Failed query: <sql>" wrapper drizzle puts around it.
  const database = databaseErrorOf(error);
  if (database) return `startup failed: ${database.code} ${database.message}`;
  const firstLine = err?.message?.split('\n')[0];
  if (!firstLine || firstLine.startsWith('Failed query')) return 'startup failed: a database query failed';
  return `startup failed: ${firstLine}`;
}
