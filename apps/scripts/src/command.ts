import { parseArgs } from 'node:util';
import { createEthcastClient, type EthcastClient } from '@ethcast/client';
import { type CliConfig, DEFAULT_URL, readCliConfig } from './config.ts';
import { loadCliEnv } from './env.ts';
import { createTimeFormat, isTimeZone, type TimeFormat } from './time.ts';

export type CliEnv = ReturnType<typeof loadCliEnv>;

export type CommandContext = {
  args: string[];
  env: CliEnv;
  /** saved config (url, token) */
  config: CliConfig;
  url: string;
  client: EthcastClient;
  json: boolean;
  /** how times are printed: in ETHCAST_TIMEZONE, always with their zone */
  time: TimeFormat;
  /** reads stdin fully (for passwords piped in) */
  stdin: () => Promise<string>;
};

export type Command = {
  name: string;
  usage: string;
  summary: string;
  /**
   * 'server' (the default): a request to the server at ETHCAST_URL. 'server-or-database': through that
   * server when one answers, else the command opens the database itself (under its lock). 'database':
   * always the database itself, never a server.
   */
  access?: 'server' | 'server-or-database' | 'database';
  /** more lines for the command's own --help */
  help?: string;
  run(ctx: CommandContext): Promise<void>;
};

/** Bad input: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export async function buildContext(args: string[], json: boolean): Promise<CommandContext> {
  const env = loadCliEnv();
  if (!isTimeZone(env.timeZone))
    throw new UsageError(
      `ETHCAST_TIMEZONE "${env.timeZone}" is not a time zone: use a name like America/Sao_Paulo or UTC`,
    );
  const config = await readCliConfig(env.configFile);
  const url = env.url ?? config.url ?? DEFAULT_URL;
  return {
    args,
    env,
    config,
    url,
    json,
    time: createTimeFormat(env.timeZone),
    client: createEthcastClient({ url, getToken: () => config.token }),
    stdin: readStdin,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** parseArgs with strict options; unknown flags become UsageError. */
export function parseCommandArgs<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(
  args: string[],
  options: T,
  usage: string,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]} (usage: ${usage})`);
  }
}

/** A positive whole-number option (ids, limits, days); undefined when absent. */
export function positiveIntOption(
  value: string | undefined,
  name: string,
  usage: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive whole number (usage: ${usage})`);
  return n;
}

/** `{ name: { type: 'string' } }` for each name: the options of a command that take a value. */
export function stringOptions<N extends string>(...names: N[]): Record<N, { type: 'string' }> {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' }])) as Record<N, { type: 'string' }>;
}

/** The one positional argument a command takes (`what` names it in the error). */
export function onePositional(positionals: string[], what: string, usage: string): string {
  const [value, ...extra] = positionals;
  if (!value || extra.length > 0) throw new UsageError(`expected one ${what} (usage: ${usage})`);
  return value;
}

/** The fields that were given (neither undefined nor empty), for a procedure's optional inputs. */
export function givenFields<T extends Record<string, string | number | Date | undefined>>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => Boolean(value))) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
