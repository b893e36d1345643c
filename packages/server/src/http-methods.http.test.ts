import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from './env.ts';
import { type RunningServer, startServer } from './server.ts';
import { createTestDb, type TestDb, testEngine } from './test/db.ts';

type Raw = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

/** A raw request: fetch refuses TRACE, TRACK and CONNECT, which clients on the network do send. */
function raw(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe(`unsupported methods (${testEngine})`, () => {
  let testDb: TestDb;
  let server: RunningServer;
  let dashboard: string;
  let log = '';

  beforeAll(async () => {
    testDb = await createTestDb();
    dashboard = mkdtempSync(join(tmpdir(), 'ethcast-dashboard-'));
    mkdirSync(join(dashboard, 'assets'));
    writeFileSync(join(dashboard, 'index.html'), '<!doctype html><title>Ethcast</title>');
    writeFileSync(join(dashboard, 'assets', 'app.js'), 'console.log(1)');
    const logStream = new PassThrough();
    logStream.on('data', (d: Buffer) => {
      log += d;
    });
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'info', JOBS: 'off' });
    server = await startServer(config, {
      dbHandle: testDb.handle,
      dashboardDir: dashboard,
      logStream,
      jobLog: { info: () => {}, error: () => {} },
    });
  });
  afterAll(async () => {
    await server?.close();
    await testDb?.close();
    if (dashboard) rmSync(dashboard, { recursive: true, force: true });
  });

  const families: { path: string; allow: string }[] = [
    { path: '/trpc/health', allow: 'GET' },
    { path: '/trpc/users.login', allow: 'POST' },
    { path: '/api/health', allow: 'GET' },
    { path: '/api/users/login', allow: 'POST' },
    { path: '/health', allow: 'GET' },
    { path: '/ready', allow: 'GET' },
    { path: '/', allow: 'GET' },
    { path: '/assets/app.js', allow: 'GET' },
    { path: '/docs', allow: 'GET' },
    { path: '/openapi.json', allow: 'GET' },
    { path: '/api/prices/import', allow: 'POST' },
  ];

  for (const method of ['TRACE', 'PATCH', 'PUT', 'DELETE', 'PROPFIND']) {
    it(`${method} answers 405 with Allow on every route family`, async () => {
      const before = log.length;
      for (const { path, allow } of families) {
        const response = await raw(server.url, method, path);
        expect({ path, status: response.status }).toEqual({ path, status: 405 });
        const allowed = String(response.headers.allow ?? '').split(/,\s*/);
        expect({ path, allowed }).toEqual({ path, allowed: expect.arrayContaining([allow]) });
        expect(allowed).not.toContain(method);
        expect(response.text).toContain('METHOD_NOT_SUPPORTED');
      }
      const written = log.slice(before);
      expect(written).not.toMatch(/"level":(50|60)/);
      expect(written).not.toContain('"stack"');
      expect(written).not.toContain('node_modules');
    });
  }

  it('a tRPC client reads the 405 like any other tRPC error (superjson envelope)', async () => {
    const response = await raw(server.url, 'TRACE', '/trpc/users.login');
    const body = JSON.parse(response.text) as {
      error: { json: { code: number; data: { code: string; httpStatus: number; path: string } } };
    };
    expect(body.error.json.code).toBe(-32005);
    expect(body.error.json.data).toMatchObject({ code: 'METHOD_NOT_SUPPORTED', httpStatus: 405 });
  });

  it('unknown paths still answer 404 whatever the method', async () => {
    for (const method of ['TRACE', 'PATCH', 'GET']) {
      expect((await raw(server.url, method, '/no/such/path')).status).toBe(404);
    }
  });

  it('the methods each family takes still work', async () => {
    expect((await raw(server.url, 'GET', '/health')).status).toBe(200);
    expect((await raw(server.url, 'HEAD', '/health')).status).toBe(200);
    expect((await raw(server.url, 'GET', '/trpc/health')).status).toBe(200);
    expect((await raw(server.url, 'GET', '/assets/app.js')).status).toBe(200);
    expect((await raw(server.url, 'GET', '/api/health')).status).toBe(200);
  });
});
