import type { ChildProcessWithoutNullStreams } from 'node:child_process';

export type ProcessOutput = { code: number | null; stdout: string; stderr: string };

/** A child's exit code with everything it wrote to stdout and stderr. */
export function processOutput(child: ChildProcessWithoutNullStreams): Promise<ProcessOutput> {
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
