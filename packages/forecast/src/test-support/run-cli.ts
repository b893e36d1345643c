import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const packageDir = path.join(import.meta.dirname, '..', '..');

export type CliResult = { code: number; stdout: string; stderr: string };

/** Runs one of the forecast CLIs (src/cli/<script>.ts) as a real process, from the package folder. */
export function runForecastCli(script: 'train' | 'backtest', args: string[]): Promise<CliResult> {
  const cli = path.join(packageDir, 'src', 'cli', `${script}.ts`);
  return run(process.execPath, ['--import', 'tsx', cli, ...args], {
    cwd: packageDir,
    env: { ...process.env, INIT_CWD: packageDir },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: CliResult) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
}
