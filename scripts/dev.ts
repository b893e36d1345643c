/**
 * `pnpm dev`: the API in watch mode (it migrates the embedded database on start) and the dashboard's
 * Vite dev server, with prefixed output and both URLs printed once they are up.
 *
 * Each child runs in a process group of its own, and every way of stopping `pnpm dev` (Ctrl-C, `kill`,
 * SIGHUP from a closed terminal, or pnpm itself being killed, which orphans this process) sends SIGTERM
 * to both whole groups and waits until every process in them is gone: the API then closes the embedded
 * database cleanly (no crash recovery, no skipped ids at the next start) and nothing keeps serving on
 * the ports. Ports: PORT (API, default 3000) and DASHBOARD_PORT (default 5173).
 *
 * The root script runs this with `exec`: a Ctrl-C reaches every process of the terminal's foreground
 * job, and a shell left between pnpm and this process would die of it, which pnpm reports as
 * "Command failed" even though everything stopped cleanly with exit code 0.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apiPort = process.env.PORT ?? '3000';
const dashboardPort = process.env.DASHBOARD_PORT ?? '5173';
/** Longer than the API's own 15 s shutdown limit (packages/server/src/main.ts). */
const STOP_GRACE_MS = 20_000;

type Proc = { name: string; child: ChildProcess };
const children: Proc[] = [];
let stopping = false;
let apiUrl: string | undefined;
let webUrl: string | undefined;

function start(
  name: string,
  command: { cwd: string; args: string[] },
  env: Record<string, string>,
  onLine?: (line: string) => void,
): Proc {
  const child = spawn(process.execPath, command.args, {
    cwd: command.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // a process group of its own: stop() signals it as a whole
  });
  const prefix = `[${name}]`.padEnd(12);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (data: Buffer) => {
      buffered += data.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        write(`${prefix}${line}\n`);
        onLine?.(line);
      }
    });
  }
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${prefix}exited with ${signal ?? `code ${code}`}; stopping`);
    void stop(code || 1);
  });
  const proc = { name, child };
  children.push(proc);
  return proc;
}

/** Output survives a closed terminal or pipe (EPIPE) instead of crashing before the children stop. */
function write(text: string) {
  if (process.stdout.writable) process.stdout.write(text);
}
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {}
}

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  const pids = children.map(({ child }) => child.pid).filter((pid): pid is number => pid !== undefined);
  for (const pid of pids) signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (pids.some(groupAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids.filter(groupAlive)) {
    console.error(
      `[dev]       process group ${pid} did not stop within ${STOP_GRACE_MS / 1000} s: killing it`,
    );
    signalGroup(pid, 'SIGKILL');
  }
  process.exit(code);
}

function announce() {
  if (apiUrl && webUrl) {
    write(
      `\n  Ethcast is running\n    Dashboard  ${webUrl}\n    API        ${apiUrl}/trpc  (health: ${apiUrl}/health)\n\n`,
    );
  }
}

const require = createRequire(import.meta.url);
const tsxCli = require.resolve('tsx/cli');
const viteBin = join(
  dirname(createRequire(join(root, 'apps/dashboard/package.json')).resolve('vite/package.json')),
  'bin/vite.js',
);

start(
  'api',
  { cwd: join(root, 'packages/server'), args: [tsxCli, 'watch', '--clear-screen=false', 'src/main.ts'] },
  { PORT: apiPort, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  (line) => {
    const match = line.match(/listening on (http:\/\/\S+)/);
    if (match?.[1]) {
      apiUrl = match[1];
      announce();
    } else if (!apiUrl && line.startsWith('ethcast: ')) {
      // main.ts's fatal line: tsx watch would wait for a file change with the dashboard up and no API.
      console.error('[dev]       the API could not start (see the line above); stopping');
      void stop(1);
    }
  },
);
start(
  'dashboard',
  { cwd: join(root, 'apps/dashboard'), args: [viteBin, '--port', dashboardPort, '--strictPort'] },
  { ETHCAST_API_URL: `http://127.0.0.1:${apiPort}` },
  (line) => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours from Vite's banner
    const match = line.replace(/\u001b\[[0-9;]*m/g, '').match(/Local:\s+(http:\/\/\S+)/);
    if (match?.[1]) {
      webUrl = match[1];
      announce();
    }
  },
);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(0));

// `kill <pid of pnpm>` ends pnpm without passing the signal on: this process is then re-parented.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(0);
}, 500).unref();
