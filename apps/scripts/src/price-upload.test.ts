import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createActor, type TestServer, testServices } from '@ethcast/server/test';
import { describe, expect, it } from 'vitest';
import { runCli, useCliServer, writeCliConfig } from './test/run-cli.ts';

// prices:import through a running server: every refusal comes back as one line, wherever the server
// found it (also before it read the body).
describe('ethcast prices:import through a server', { timeout: 120_000 }, () => {
  let server: TestServer;
  let home: string;
  useCliServer('ethcast-upload-', async (cli) => {
    ({ server, home } = cli);
    const admin = await createActor(testServices(server.testDb), 'upload_admin', 'admin');
    await writeCliConfig(join(home, 'config.json'), { url: server.url, token: admin.token });
  });

  const cli = (args: string[]) =>
    runCli(args, {
      env: { ETHCAST_URL: server.url, ETHCAST_CONFIG: join(home, 'config.json'), INIT_CWD: home },
    });

  it('prints the server refusal of a file it refuses from its first lines, in one line', async () => {
    await writeFile(join(home, 'odd.csv'), 'when,price,size\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n');
    const odd = await cli(['prices:import', 'odd.csv', '--symbol', 'ETH-USD']);
    expect(odd.code).toBe(1);
    expect(odd.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^ethcast: line 1: unrecognised header "when,price,size": need date, open/),
    ]);

    await writeFile(
      join(home, 'nosymbol.csv'),
      'date,open,high,low,close\n2024-01-01,1,2,1,2\n2024-01-02,1,2,1,2\n2024-01-03,1,2,1,2\n2024-01-04,1,2,1,2\n',
    );
    const noSymbol = await cli(['prices:import', 'nosymbol.csv']);
    expect(noSymbol.code).toBe(1);
    expect(noSymbol.stderr.trim().split('\n')).toEqual([
      'ethcast: line 1: no symbol: pass --symbol (the file has no symbol column)',
    ]);

    await writeFile(
      join(home, 'binary.bin'),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31) % 256)),
    );
    const binary = await cli(['prices:import', 'binary.bin', '--symbol', 'ETH-USD']);
    expect(binary.code).toBe(1);
    expect(binary.stderr.trim().split('\n')).toHaveLength(1);
    expect(binary.stderr).toMatch(/^ethcast: line 1: unrecognised header "/);
    // control characters of a binary header never reach the terminal
    expect([...binary.stderr.trim()].filter((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127)).toEqual(
      [],
    );
  });

  it('imports a CR-only (Excel "CSV (Macintosh)") file', async () => {
    await writeFile(
      join(home, 'mac.csv'),
      'Date,Open,High,Low,Close,Adj Close,Volume\r2024-01-01,1,2,0.5,1.5,1.5,10\r2024-01-02,1.5,2,1,1.8,1.8,11\r',
    );
    const run = await cli(['prices:import', 'mac.csv', '--symbol', 'ETH-USD']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('file:mac.csv (yahoo): 2 rows read, 2 inserted');
  });
});
