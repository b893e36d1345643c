import { describe, expect, it } from 'vitest';
import { compareSymbols, sortBySymbol } from './symbol-order.ts';

describe('symbol order', () => {
  it('puts ETH-USD first and the rest alphabetically', () => {
    expect(['SOL-USD', 'BTC-USD', 'ETH-USD', 'ADA-USD', 'ETH-EUR'].sort(compareSymbols)).toEqual([
      'ETH-USD',
      'ADA-USD',
      'BTC-USD',
      'ETH-EUR',
      'SOL-USD',
    ]);
  });

  it('keeps the order of the items of one symbol', () => {
    const items = [
      { symbol: 'BTC-USD', name: 'naive' },
      { symbol: 'ETH-USD', name: 'naive' },
      { symbol: 'BTC-USD', name: 'drift' },
      { symbol: 'ETH-USD', name: 'drift' },
    ];
    expect(sortBySymbol(items).map((i) => `${i.symbol} ${i.name}`)).toEqual([
      'ETH-USD naive',
      'ETH-USD drift',
      'BTC-USD naive',
      'BTC-USD drift',
    ]);
    expect(items[0]?.symbol).toBe('BTC-USD'); // the input is left alone
  });
});
