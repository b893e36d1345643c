import { isDay } from '@ethcast/days';
import { parse } from 'csv-parse/sync';
import type { PriceBar } from '../types.ts';

/** Parses the plain `date,open,high,low,close,volume` daily format. Throws one clear line on bad input. */
export function parsePriceCsv(text: string): PriceBar[] {
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  if (rows.length === 0) throw new Error('price CSV has no rows');
  const first = rows[0] ?? {};
  if (!('date' in first) || !('close' in first)) {
    throw new Error('price CSV must have a header with at least `date` and `close` columns');
  }
  return rows.map((row, i) => {
    const day = row.date ?? '';
    const close = Number(row.close);
    if (!isDay(day)) throw new Error(`price CSV line ${i + 2}: bad date '${day}'`);
    if (!Number.isFinite(close) || close <= 0)
      throw new Error(`price CSV line ${i + 2}: bad close '${row.close}'`);
    const bar: PriceBar = { day, close };
    for (const key of ['open', 'high', 'low', 'volume'] as const) {
      const raw = row[key];
      if (raw !== undefined && raw !== '') {
        const value = Number(raw);
        if (Number.isFinite(value)) bar[key] = value;
      }
    }
    return bar;
  });
}
