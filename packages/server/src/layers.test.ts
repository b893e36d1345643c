import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = dirname(fileURLToPath(import.meta.url));

/** Every non-test .ts file below `dir` (relative to src/). */
function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(src, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

/** The src/-relative targets of a file's relative imports (static, dynamic and `export … from`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(join(src, file), 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)].map((m) => m[1] ?? '');
  return specs.map((spec) => relative(src, resolve(src, dirname(file), spec)));
}

const above = [
  'auth/',
  'context.ts',
  'routers/',
  'prices/',
  'forecasts/',
  'jobs/',
  'legacy/',
  'openapi/',
  'http',
];

describe('layers point one way (docs/architecture.md)', () => {
  it('the db layer imports nothing from the services, the context or the routers', () => {
    const wrong = sources('db').flatMap((file) =>
      relativeImports(file)
        .filter((target) => above.some((layer) => target.startsWith(layer)))
        .map((target) => `${file} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });

  it('domain/ imports no other layer', () => {
    const wrong = sources('domain').flatMap((file) =>
      relativeImports(file)
        .filter((target) => !target.startsWith('domain/'))
        .map((target) => `${file} → ${target}`),
    );
    expect(wrong).toEqual([]);
  });
});

describe('audit-log rows are written by the use cases only (docs/architecture.md)', () => {
  it('no source outside usecases/ calls writeLog or logInsert', () => {
    const writers = ['db', 'auth', 'routers', 'prices', 'forecasts', 'jobs', 'legacy', 'openapi', 'usecases']
      .flatMap(sources)
      .concat(readdirSync(src).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts')))
      .filter((file) => /\b(writeLog|logInsert)\(/.test(readFileSync(join(src, file), 'utf8')))
      .filter((file) => !file.startsWith('usecases/') && file !== 'db/queries/logs.ts');
    expect(writers).toEqual([]);
  });
});
