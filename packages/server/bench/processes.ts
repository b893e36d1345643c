/**
 * Processes for the black-box benchmarks: wrk and its summary, a server (or stand-in) started until it
 * says it is ready and stopped with its group, and the CPU that processes used (Linux /proc).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const lscpuModel = () => {
  try {
    return /Model name:\s*(.+)/.exec(execFileSync('lscpu', { encoding: 'utf8' }))?.[1]?.trim();
  } catch {
    return undefined;
  }
};

export type WrkResult = { rps: number; p50ms: number; non2xx: number; errors: number };

/** Runs wrk against `url` for `seconds` and reads its summary. */
export function wrk(
  url: string,
  options: { connections: number; seconds: number; headers?: Record<string, string> },
): Promise<WrkResult> {
  const { connections, seconds } = options;
  const args = [`-t${Math.min(2, connections)}`, `-c${connections}`, `-d${seconds}s`, '--latency'];
  for (const [k, v] of Object.entries(options.headers ?? {})) args.push('-H', `${k}: ${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}: ${out}`));
      const unit = { us: 0.001, ms: 1, s: 1000 } as Record<string, number>;
      const p50 = /50%\s+([\d.]+)(us|ms|s)/.exec(out);
      const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      resolve({
        rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? Number.NaN),
        p50ms: p50 ? Number(p50[1]) * (unit[p50[2] ?? 'ms'] ?? 1) : Number.NaN,
        non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0),
        errors: errors ? errors.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
      });
    });
  });
}

/** Starts a process and resolves with it once `ready` matches its output. */
export function startProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; ready: RegExp },
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d;
      const match = out.match(options.ready);
      if (match) resolve({ child, match });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${command} exited ${code}: ${out.slice(-2000)}`)));
  });
}
export const stop = (child: ChildProcess | undefined) => {
  if (child?.pid && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
  }
};

/** CPU seconds (user + system) used so far by these processes, from /proc (Linux; 0 elsewhere). */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone, or not Linux
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}
