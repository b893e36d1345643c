// Production bundle of the API: workspace packages are bundled, and so are their own npm dependencies
// (pnpm does not let the server resolve them); the server's npm dependencies stay external.
import { copyFileSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const deps = (dir) =>
  Object.keys(JSON.parse(readFileSync(new URL(`${dir}/package.json`, import.meta.url))).dependencies ?? {});
const external = deps('.').filter((d) => !d.startsWith('@ethcast/'));

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external,
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'info',
});
// the bcrypt threads' task file, loaded by piscina from beside dist/main.js (auth/bcrypt-threads.ts)
copyFileSync('src/auth/bcrypt-worker.cjs', 'dist/bcrypt-worker.cjs');
