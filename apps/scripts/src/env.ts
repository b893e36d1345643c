import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_TIME_ZONE } from './time.ts';

/** The CLI's only reader of the environment. */
export function loadCliEnv(env: Record<string, string | undefined> = process.env) {
  const configHome = env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config');
  return {
    /** explicit server URL; else the one saved at login; else the local default */
    url: env.ETHCAST_URL?.trim() || undefined,
    configFile: env.ETHCAST_CONFIG?.trim() || join(configHome, 'ethcast', 'config.json'),
    /** the zone times are shown in (the dashboard's default unless set) */
    timeZone: env.ETHCAST_TIMEZONE?.trim() || DEFAULT_TIME_ZONE,
    color: !env.NO_COLOR && process.stdout.isTTY === true,
    /** where the user ran `pnpm ethcast` (pnpm runs the script from apps/scripts): relative paths start here */
    cwd: env.INIT_CWD?.trim() || process.cwd(),
  };
}
