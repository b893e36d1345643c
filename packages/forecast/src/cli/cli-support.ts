import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDay } from '@ethcast/days';
import { parsePriceCsv } from '../data/parse-price-csv.ts';
import type { PriceBar } from '../types.ts';

/** Prints one clear line and exits non-zero: the CLI contract for bad input. */
export function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

/** Relative paths are relative to where the user ran pnpm (INIT_CWD), not the package folder. */
export function resolveUserPath(p: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

export function readBars(csvPath: string): PriceBar[] {
  let text: string;
  try {
    text = readFileSync(resolveUserPath(csvPath), 'utf8');
  } catch {
    fail(`cannot read CSV file ${csvPath}`);
  }
  try {
    return parsePriceCsv(text);
  } catch (error) {
    fail(`${csvPath}: ${(error as Error).message}`);
  }
}

export function requireDay(value: string | undefined, flag: string): string {
  if (value === undefined) fail(`--${flag} is required (YYYY-MM-DD)`);
  if (!isDay(value)) fail(`--${flag} must be a day like 2025-03-31, got '${value}'`);
  return value;
}

export function parsePositiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${flag} must be a non-negative integer, got '${value}'`);
  return n;
}

/** Progress lines only on a terminal, so piped output (e.g. --json) stays clean. */
export function progress(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r${line}\u001b[K`);
}

export function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write('\n');
}
