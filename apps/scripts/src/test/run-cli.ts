import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcessOutput, processOutput, startTestServer, type TestServer } from '@ethcast/server/test';
import { afterAll, beforeAll } from 'vitest';

const scriptsDir = fileURLToPath(new URL('../..', import.meta.url));

export type CliRun = ProcessOutput;

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
export const outcome = processOutput;

/**
 * For a describe: a test server and a CLI home folder (`prefix…`, for the CLI's config.json), started
 * before its tests and removed after them; `setup` gets both.
 */
export function useCliServer(
  prefix: string,
  setup: (cli: { server: TestServer; home: string }) => Promise<void> | void,
  env: Record<string, string> = {},
) {
  let server: TestServer | undefined;
  let home: string | undefined;
  beforeAll(async () => {
    server = await startTestServer(env);
    home = await mkdtemp(join(tmpdir(), prefix));
    await setup({ server, home });
  });
  afterAll(async () => {
    await server?.stop();
    if (home) await rm(home, { recursive: true, force: true });
  });
}

/** A signed-in CLI config at `file`, mode 0600 as `ethcast login` writes it. */
export const writeCliConfig = (file: string, config: { url: string; token: string }) =>
  writeFile(file, JSON.stringify(config), { mode: 0o600 });
