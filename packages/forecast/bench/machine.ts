import { execSync } from 'node:child_process';
import os from 'node:os';

/** A benchmark's report line, on stdout. */
export const log = (line: string) => process.stdout.write(`${line}\n`);

/** The CPU model: lscpu's "Model name", else what os.cpus() reports. */
function cpuModel(): string {
  try {
    const line = execSync('lscpu', { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.startsWith('Model name:'));
    if (line) return line.replace('Model name:', '').trim();
  } catch {
    // lscpu missing: keep os.cpus()
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** The machine a benchmark ran on, in one line; nproc defaults to os.availableParallelism(). */
export function machine(nproc: string | number = os.availableParallelism()): string {
  return `nproc ${nproc}, ${cpuModel()}, Node ${process.version}`;
}
