import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const scriptsDir = fileURLToPath(new URL('../..', import.meta.url));

export type CliRun = { code: number | null; stdout: string; stderr: string };

/** Runs `ethcast <args>` as a real process with only the given environment (plus PATH) and stdin. */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<CliRun> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: scriptsDir,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', ...options.env },
  });
  child.stdin.end(options.stdin ?? '');
  return outcome(child);
}

/** A child's exit code with everything it wrote to stdout and stderr. */
export function outcome(child: ChildProcessWithoutNullStreams): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}
