import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb, testEngine } from '../test/db.ts';
import { generateCandles, tempDir, toCsv } from '../test/price-csv.ts';
import { type ServerProcess, spawnServerProcess } from '../test/server-process.ts';

const run = promisify(execFile);
const script = fileURLToPath(new URL('../../test-fixtures/legacy_client.py', import.meta.url));
const python = process.env.PYTHON ?? 'python3';

describe(`a Python standard-library client over the legacy routes (${testEngine})`, () => {
  const files = tempDir('ethcast-legacy-client-');
  let testDb: TestDb | null = null;
  let server: ServerProcess;
  let url: string;

  beforeAll(async () => {
    const csv = files.write('eth.csv', toCsv(generateCandles('ETH-USD', '2024-01-01', 400, 3), 'plain'));
    // PostgreSQL: a database of its own for the server process; PGlite: the process's in-memory one.
    if (testEngine === 'postgres') testDb = await createTestDb();
    server = spawnServerProcess({
      HOST: '127.0.0.1',
      DATABASE_URL: testDb?.url ?? 'memory://',
      PRICES_CSV: csv,
      PRICES_SYMBOL: 'ETH-USD',
      DEMO_ADMIN: 'false',
    });
    url = await server.ready;
    // The first start imports PRICES_CSV in the background; wait until it is in.
    for (let attempt = 0; attempt < 600; attempt++) {
      const latest = await fetch(`${url}/api/prices/latest?symbol=ETH-USD`);
      if (latest.status === 200) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`prices never arrived: ${server.output()}`);
  });
  afterAll(async () => {
    await server?.stop();
    await testDb?.close();
    files.cleanup();
  });

  /** The legacy client script against this server, as the user `ana_py`. */
  const clientArgs = () => [script, '--url', url, '--username', 'ana_py', '--password', 'S3cure-passw0rd'];

  it('registers, signs in, forecasts, lists, reads and deletes, as the old frontend did', async () => {
    const { stdout, stderr } = await run(python, [...clientArgs(), '--days', '3']);
    expect(stderr).toBe('');
    const summary = JSON.parse(stdout);
    expect(summary).toMatchObject({
      user_id: expect.any(Number),
      login_message: 'Login bem-sucedido',
      model: 'naive',
      get_points: 3,
      delete: { error: false, message: 'Forecast deleted' },
      listed_after_delete: [],
      anonymous_error: expect.any(String),
    });
    expect(summary.points).toHaveLength(3);
    expect(summary.listed_ids).toEqual([summary.predict_id]);
    for (const point of summary.points) {
      expect(point).toEqual({
        day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        value: expect.any(Number),
        // the legacy names beside them
        date: point.day,
        predicted_value: point.value,
        lower80: expect.any(Number),
        upper80: expect.any(Number),
        lower95: expect.any(Number),
        upper95: expect.any(Number),
      });
    }
  });

  it('exits 1 with one line when an answer is not what a legacy client expects', async () => {
    // registering the same user again: 400 (as the legacy backend answered), not 200
    const failed = await run(python, clientArgs()).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed?.stderr).toMatch(/^legacy_client: register: HTTP 400 /);
  });
});
