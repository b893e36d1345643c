import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { adminTokenFile } from '../paths.ts';
import { spawnServerProcess } from './server-process.ts';

describe('spawnServerProcess', () => {
  it(
    "keeps a server's first-admin token out of the clone and removes it at exit",
    { timeout: 180_000 },
    async () => {
      // No admin in a fresh database: main.ts writes the one-time token and names its file.
      const run = spawnServerProcess({ DATABASE_URL: 'memory://' });
      await run.ready;
      const file = run.output().match(/reads the one-time token in (\S+)\)/)?.[1];
      expect(file, run.output()).toBeDefined();
      expect(file).not.toBe(adminTokenFile());
      expect(file?.startsWith(tmpdir())).toBe(true);
      expect(existsSync(file ?? '')).toBe(true);
      expect(await run.stop()).toBe(0);
      expect(existsSync(file ?? '')).toBe(false);
    },
  );
});
