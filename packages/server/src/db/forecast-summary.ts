import type { StoredForecastPoint } from './schema.ts';

/**
 * The legacy `forecast` text column: one readable line about the last forecast day. Forecasts taken
 * over from the legacy backend have no bands, and their line says nothing about one.
 */
export function summariseForecast(symbol: string, model: string, points: StoredForecastPoint[]): string {
  const last = points.at(-1);
  if (!last) return `${symbol} forecast with ${model}`;
  const money = (v: number) => v.toFixed(v >= 100 ? 2 : 4);
  const band =
    last.lower80 !== undefined && last.upper80 !== undefined
      ? ` (80%: ${money(last.lower80)}–${money(last.upper80)})`
      : '';
  return `${symbol} ${points.length}-day forecast with ${model}: ${last.day} ${money(last.value)}${band}`;
}
