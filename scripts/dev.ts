/**
 * `pnpm dev`: the API in watch mode (it migrates the embedded database on start) and the dashboard's
 * Vite dev server, with prefixed output and both URLs printed once they are up.
 */
import { type ChildProcess, spawn } from 'node:child_process';

type Proc = { name: string; child: ChildProcess };

const apiPort = process.env.PORT ?? '3000';
const children: Proc[] = [];
let stopping = false;

function start(
  name: string,
  args: string[],
  env: Record<string, string>,
  onLine?: (line: string) => void,
): Proc {
  const child = spawn('pnpm', args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = `[${name}]`.padEnd(12);
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = '';
    stream?.on('data', (data: Buffer) => {
      buffered += data.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        process.stdout.write(`${prefix}${line}\n`);
        onLine?.(line);
      }
    });
  }
  child.on('exit', (code) => {
    if (stopping) return;
    console.error(`${prefix}exited with code ${code}; stopping`);
    stop(code ?? 1);
  });
  const proc = { name, child };
  children.push(proc);
  return proc;
}

function stop(code: number) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 2000).unref();
  Promise.all(
    children.map(
      ({ child }) => new Promise((r) => (child.exitCode !== null ? r(null) : child.on('exit', r))),
    ),
  ).then(() => process.exit(code));
}

let apiUrl: string | undefined;
let webUrl: string | undefined;
function announce() {
  if (apiUrl && webUrl) {
    console.log(
      `\n  Ethcast is running\n    Dashboard  ${webUrl}\n    API        ${apiUrl}/trpc  (health: ${apiUrl}/health)\n`,
    );
  }
}

start(
  'api',
  ['--filter', '@ethcast/server', 'dev'],
  { PORT: apiPort, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' },
  (line) => {
    const match = line.match(/listening on (http:\/\/\S+)/);
    if (match?.[1]) {
      apiUrl = match[1];
      announce();
    }
  },
);
start(
  'dashboard',
  ['--filter', '@ethcast/dashboard', 'dev'],
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

process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
