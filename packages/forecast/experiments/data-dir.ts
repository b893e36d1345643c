import path from 'node:path';
import { parseArgs } from 'node:util';
import { findModelsDir } from '../src/registry/find-models-dir.ts';

/**
 * The folder with the shared daily price files: `--data <dir>` (relative to the directory the command was
 * started from), else `../shared/data` beside the repository, where the tests and benchmarks look too.
 */
export function sharedDataDir(argv: string[] = process.argv.slice(2)): string {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' } } });
  if (values.data) return path.resolve(process.env.INIT_CWD ?? process.cwd(), values.data);
  return path.resolve(findModelsDir(), '..', '..', 'shared', 'data');
}

/** Exits with one line when a price file is missing (the data is not in the repository). */
export function requireFile(file: string, exists: boolean): void {
  if (!exists) {
    process.stderr.write(`${file} not found: this experiment needs the shared price data (--data <dir>)\n`);
    process.exit(1);
  }
}
