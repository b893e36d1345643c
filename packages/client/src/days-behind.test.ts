import { describe, expect, it } from 'vitest';
import { daysBehind } from './index.ts';

describe('daysBehind', () => {
  const now = new Date('2026-11-28T15:00:00Z');

  it('counts days from the last stored price to yesterday, the last closed daily candle', () => {
    expect(daysBehind('2026-11-27', now)).toBe(0);
    expect(daysBehind('2026-11-26', now)).toBe(1);
    expect(daysBehind('2025-10-27', now)).toBe(396);
    // prices of today's open candle, or a clock behind the server's, are not "behind"
    expect(daysBehind('2026-11-28', now)).toBe(0);
  });

  it('follows the UTC day, across a month end and a leap day', () => {
    expect(daysBehind('2024-02-28', new Date('2024-03-01T00:30:00Z'))).toBe(1);
    expect(daysBehind('2024-02-29', new Date('2024-03-01T23:59:00Z'))).toBe(0);
  });

  it('treats an unreadable day as current rather than warning about it', () => {
    expect(daysBehind('not a day', now)).toBe(0);
  });
});
