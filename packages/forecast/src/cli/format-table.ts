import type { BacktestReport } from '../backtest/run-backtest.ts';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

/** One plain-text table per horizon, models in the order given. */
export function formatBacktestTables(report: BacktestReport, symbol: string): string {
  const lines: string[] = [];
  lines.push(`${symbol} walk-forward backtest, origins ${report.from} → ${report.to}`);
  for (const h of report.horizons) {
    const key = String(h);
    const origins = report.models[0]?.origins[key] ?? 0;
    lines.push('');
    lines.push(`Horizon ${h} day${h === 1 ? '' : 's'} (${origins} origins)`);
    const header = [
      'model',
      'MAE',
      'RMSE',
      'MAPE',
      'MAE/naive',
      'hit',
      'cov80',
      'cov95',
      'width80',
      'width95',
    ];
    const rows = report.models.map((m) => {
      const x = m.metrics[key];
      if (!x) return [m.name];
      const flag = m.inSample ? ' (in-sample!)' : m.name === report.defaultModel ? ' (default)' : '';
      return [
        `${m.name}${flag}`,
        x.mae.toFixed(2),
        x.rmse.toFixed(2),
        `${x.mape.toFixed(2)}%`,
        x.maeRatio.toFixed(3),
        pct(x.hitRate),
        pct(x.coverage80),
        pct(x.coverage95),
        pct(x.width80),
        pct(x.width95),
      ];
    });
    const widths = header.map((h0, i) => Math.max(h0.length, ...rows.map((r) => (r[i] ?? '').length)));
    const render = (r: string[]) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
    lines.push(render(header));
    for (const r of rows) lines.push(render(r));
  }
  lines.push('');
  lines.push(`default model for ${symbol}: ${report.defaultModel} (lowest mean MAE ratio to persistence)`);
  return lines.join('\n');
}
