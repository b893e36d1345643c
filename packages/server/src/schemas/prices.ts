import { z } from 'zod';

/** The output schemas of the prices.* procedures. Days are UTC calendar days, `YYYY-MM-DD`. */

const day = z.string().meta({ example: '2026-03-31' });

export const symbolsOutput = z.array(
  z.object({
    symbol: z.string().meta({ example: 'ETH-USD' }),
    firstDay: day,
    lastDay: day,
    rows: z.number().int(),
    missingDays: z.number().int().meta({ description: 'days between the first and the last with no row' }),
  }),
);

const candleFields = {
  day,
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number().nullable(),
};

export const priceRangeOutput = z.object({
  symbol: z.string(),
  candles: z.array(z.object(candleFields)),
  truncated: z.boolean().meta({ description: 'true when `limit` cut older days off' }),
});

export const latestPriceOutput = z.object({
  symbol: z.string(),
  ...candleFields,
  source: z.string().meta({ description: 'where the values came from, e.g. `sync:coinbase`' }),
  updatedAt: z.date(),
});

export const syncReportOutput = z.object({
  symbol: z.string(),
  source: z.string(),
  from: day.nullable().meta({ description: 'first day requested; null when already up to date' }),
  to: day.nullable(),
  pages: z.number().int(),
  fetched: z.number().int(),
  partialExcluded: z.number().int().meta({ description: 'candles of today or later, never stored' }),
  rejected: z.array(z.object({ day, reason: z.string() })),
  inserted: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  changes: z.array(z.object({ symbol: z.string(), day, oldClose: z.number(), newClose: z.number() })),
  lastDay: day.nullable(),
});
