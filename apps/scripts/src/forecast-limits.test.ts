import { join } from 'node:path';
import { createActor, seedPrices, type TestServer, testServices } from '@ethcast/server/test';
import { describe, expect, it } from 'vitest';
import { runCli, useCliServer, writeCliConfig } from './test/run-cli.ts';

describe('ethcast forecast over a per-user limit', () => {
  let server: TestServer;
  let home: string;
  useCliServer(
    'ethcast-cli-limits-',
    (cli) => {
      ({ server, home } = cli);
    },
    { FORECAST_DAILY_CAP: '1' },
  );

  it('prints the reason, its numbers and when to try again, and exits 1', async () => {
    await seedPrices(server.testDb.db, 'ETH-USD', '2024-01-01', 500, 9);
    const actor = await createActor(testServices(server.testDb), 'cli_capped');
    const config = join(home, 'config.json');
    await writeCliConfig(config, { url: server.url, token: actor.token });
    const env = { ETHCAST_URL: server.url, ETHCAST_CONFIG: config };
    expect((await runCli(['forecast', '--model', 'naive', '--days', '2'], { env })).code).toBe(0);
    const capped = await runCli(['forecast', '--model', 'naive', '--days', '2'], { env });
    expect(capped.code).toBe(1);
    expect(capped.stderr.trim()).toMatch(
      /^ethcast: Daily limit reached: 1 forecast a day; more from \d{4}-\d{2}-\d{2} \(00:00 UTC\) \(FORECAST_DAILY_CAP\)$/,
    );
  });
});
