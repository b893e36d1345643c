import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

type Manifest = { name: string; [field: string]: unknown };

function workspaceManifests(): Manifest[] {
  const manifests: Manifest[] = [JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))];
  for (const folder of ['packages', 'apps']) {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      manifests.push(JSON.parse(readFileSync(join(root, folder, entry.name, 'package.json'), 'utf8')));
    }
  }
  return manifests;
}

/** Every chain of workspace dependencies (any kind: pnpm orders installs and scripts by all of them) that returns to its start. */
function cycles(manifests: Manifest[]): string[][] {
  const names = new Set(manifests.map((m) => m.name));
  const edges = new Map<string, string[]>();
  for (const m of manifests) {
    const deps = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap(
      (field) => Object.keys((m[field] as Record<string, string> | undefined) ?? {}),
    );
    edges.set(
      m.name,
      deps.filter((d) => names.has(d)),
    );
  }
  const found: string[][] = [];
  const walk = (name: string, path: string[]) => {
    for (const next of edges.get(name) ?? []) {
      if (next === path[0]) found.push([...path, next]);
      else if (!path.includes(next)) walk(next, [...path, next]);
    }
  };
  for (const name of names) walk(name, [name]);
  return found;
}

describe('workspace dependencies', () => {
  it('form no cycle (pnpm install would warn of one)', () => {
    expect(cycles(workspaceManifests()).map((c) => c.join(' → '))).toEqual([]);
  });
});
