import { readdirSync, readFileSync } from 'node:fs';

/**
 * Pids of live processes whose environment holds `NAME=value` (Linux /proc): finds every descendant of a
 * process tree started with that marker, however it was re-parented. Zombies are not counted.
 */
export function pidsWithEnv(name: string, value: string): number[] {
  const marker = `${name}=${value}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (environ.includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return pids;
}
