import { randomBytes } from 'node:crypto';
import { countUsers } from '../db/queries/users.ts';
import type { Services } from '../services.ts';
import { createDemoAdmin } from '../usecases/accounts.ts';
import { systemViewer } from '../usecases/viewer.ts';

/**
 * On the embedded development database only: the first start creates an admin with a random password
 * and returns the credentials, to be printed once. Never in production (config.demoAdmin is false).
 */
export async function ensureDemoAdmin(
  services: Services,
): Promise<{ username: string; password: string } | null> {
  if (!services.config.demoAdmin) return null;
  if ((await countUsers(services.db)) > 0) return null;
  const username = 'admin';
  const password = randomBytes(12).toString('base64url');
  await createDemoAdmin(services, systemViewer('first start'), { username, password });
  return { username, password };
}
