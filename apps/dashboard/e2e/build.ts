import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `vite build` of the dashboard into `outDir`, exactly as `pnpm build` builds it. */
export async function buildDashboard(outDir: string): Promise<void> {
  // The test runner sets NODE_ENV=test, which would give React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: appDir,
      configFile: join(appDir, 'vite.config.ts'),
      logLevel: 'warn',
      mode: 'production',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
