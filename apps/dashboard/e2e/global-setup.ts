import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { appDir, buildDashboard } from './build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    dashboardDir: string;
  }
}

/** Builds the dashboard once for every e2e file; each file starts its own server over it. */
export default async function setup(project: TestProject) {
  const dashboardDir = await mkdtemp(join(tmpdir(), 'ethcast-dashboard-'));
  await rm(join(appDir, '../../.tmp/e2e-failures'), { recursive: true, force: true });
  await buildDashboard(dashboardDir);
  project.provide('dashboardDir', dashboardDir);
  return async () => {
    await rm(dashboardDir, { recursive: true, force: true });
  };
}
