import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Walks up from this package (or `fromUrl`) to the project root that holds `models/`: the first folder with
 * both `models/` and a `package.json` (so the package's own `src/models` source folder never matches).
 */
export function findModelsDir(fromUrl: string = import.meta.url): string {
  let dir = fromUrl.startsWith('file:') ? path.dirname(fileURLToPath(fromUrl)) : path.resolve(fromUrl);
  for (;;) {
    const candidate = path.join(dir, 'models');
    if (
      existsSync(candidate) &&
      statSync(candidate).isDirectory() &&
      existsSync(path.join(dir, 'package.json'))
    ) {
      return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no models/ folder found above ${fromUrl}`);
    dir = parent;
  }
}
