import { describe, expect, it } from 'vitest';
import { COINBASE_URL, EnvError, loadConfig } from '../env.ts';

describe('prices settings in the environment', () => {
  it('syncs from Coinbase by default, never under test unless asked, and can be turned off', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).pricesSyncUrl).toBe(COINBASE_URL);
    expect(loadConfig({ NODE_ENV: 'test' }).pricesSyncUrl).toBeNull();
    expect(loadConfig({ NODE_ENV: 'production', PRICES_SYNC_URL: 'off' }).pricesSyncUrl).toBeNull();
    expect(loadConfig({ PRICES_SYNC_URL: 'http://127.0.0.1:9999' }).pricesSyncUrl).toBe(
      'http://127.0.0.1:9999',
    );
    expect(loadConfig({ PRICES_SYMBOL: 'btc-usd' }).pricesSymbol).toBe('BTC-USD');
  });

  it.each([
    [{ PRICES_SYNC_URL: 'ftp://x' }, 'Invalid environment: PRICES_SYNC_URL must be an http(s) URL'],
    [{ PRICES_SYMBOL: 'ETHUSD' }, 'Invalid environment: PRICES_SYMBOL must look like ETH-USD'],
  ])('rejects %o with one line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(EnvError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
