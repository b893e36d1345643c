import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest ancestor holding `drizzle/meta/_journal.json`. Works from
 * `src/` under tsx and from the bundled `dist/`.
 */
export function findRepoRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  for (;;) {
    if (existsSync(join(dir, 'drizzle', 'meta', '_journal.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Cannot find the Ethcast repository root (drizzle/ folder)');
    dir = parent;
  }
}

export const migrationsDir = (root = findRepoRoot()) => join(root, 'drizzle');
export const embeddedDataDir = (root = findRepoRoot()) => join(root, '.data', 'pglite');
export const adminTokenFile = (root = findRepoRoot()) => join(root, '.data', 'admin-token');
export const dashboardDistDir = (root = findRepoRoot()) => join(root, 'apps', 'dashboard', 'dist');
export const modelsDir = (root = findRepoRoot()) => join(root, 'models');
