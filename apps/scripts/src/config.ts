import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export const DEFAULT_URL = 'http://127.0.0.1:3000';

export type CliConfig = { url?: string; token?: string; username?: string };

/** The user's CLI config (server URL and session token); a missing file is an empty config. */
export async function readCliConfig(file: string): Promise<CliConfig> {
  try {
    const parsed: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    const { url, token, username } = parsed as Record<string, unknown>;
    return {
      ...(typeof url === 'string' ? { url } : {}),
      ...(typeof token === 'string' ? { token } : {}),
      ...(typeof username === 'string' ? { username } : {}),
    };
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return {};
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** Writes the config with mode 0600: it holds a session token. */
export async function writeCliConfig(file: string, config: CliConfig): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

export async function removeCliConfig(file: string): Promise<void> {
  await rm(file, { force: true });
}
