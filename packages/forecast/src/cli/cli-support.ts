import { createReadStream } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isDay } from '@ethcast/days';
import { readPriceFile } from '@ethcast/price-file';
import { preferTfBackend, TF_BACKENDS, type TfBackend } from '../neural/tfjs-backend.ts';
import type { DailyBar } from '../types.ts';

/** Prints one clear line and exits non-zero: the CLI contract for bad input. */
export function exitWithError(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/**
 * The flags of argv (the process's arguments when left out), `--help` included. A bad flag exits with the
 * usage; `--help` prints the usage and gives null (the command then does nothing).
 */
export function parseCliArgs(
  argv: string[] | undefined,
  options: Record<string, { type: 'string' | 'boolean' }>,
  usage: string,
): Record<string, string | boolean | undefined> | null {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean' } } }));
  } catch (error) {
    exitWithError(`${(error as Error).message}\n${usage}`);
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return null;
  }
  return values;
}

/** Options of parseCliArgs that each take a value. */
export function stringFlags(...names: string[]): Record<string, { type: 'string' }> {
  return Object.fromEntries(names.map((name) => [name, { type: 'string' as const }]));
}

/** Relative paths are relative to where the user ran pnpm (INIT_CWD), not the package folder. */
export function resolveUserPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

/** The symbol's bars of a price file in any format `pnpm ethcast prices:import` reads, in day order. */
export async function readBars(csvPath: string, symbol: string): Promise<DailyBar[]> {
  try {
    return (await readPriceFile(createReadStream(resolveUserPath(csvPath)), symbol)).bars;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    exitWithError(
      code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES'
        ? `cannot read CSV file ${csvPath}`
        : `${csvPath}: ${message}`,
    );
  }
}

/** ETHCAST_TF_BACKEND (wasm, the default, or cpu): the tfjs backend neural training uses. */
export function applyTfBackendFromEnv(): void {
  const value = process.env.ETHCAST_TF_BACKEND;
  if (value === undefined || value === '') return;
  if (!TF_BACKENDS.includes(value as TfBackend)) {
    exitWithError(`ETHCAST_TF_BACKEND must be ${TF_BACKENDS.join(' or ')}, got '${value}'`);
  }
  preferTfBackend(value as TfBackend);
}

export function requireDay(value: string | undefined, flag: string): string {
  if (value === undefined) exitWithError(`--${flag} is required (YYYY-MM-DD)`);
  if (!isDay(value)) exitWithError(`--${flag} must be a day like 2025-03-31, got '${value}'`);
  return value;
}

export function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    exitWithError(`--${flag} must be a positive whole number, got '${value}'`);
  return n;
}
