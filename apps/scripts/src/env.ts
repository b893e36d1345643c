import { homedir } from 'node:os';
import { join } from 'node:path';

/** The CLI's only reader of the environment. */
export function loadCliEnv(env: Record<string, string | undefined> = process.env) {
  const configHome = env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config');
  return {
    /** explicit server URL; else the one saved at login; else the local default */
    url: env.ETHCAST_URL?.trim() || undefined,
    configFile: env.ETHCAST_CONFIG?.trim() || join(configHome, 'ethcast', 'config.json'),
    color: !env.NO_COLOR && process.stdout.isTTY === true,
    /** where the user ran `pnpm ethcast` (pnpm runs the script from apps/scripts): relative paths start here */
    cwd: env.INIT_CWD?.trim() || process.cwd(),
  };
}
