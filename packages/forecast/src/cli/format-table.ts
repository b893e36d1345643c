import type { BacktestModelResult, BacktestReport } from '../backtest/run-backtest.ts';
import { renderTable } from './terminal.ts';

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const ci = (c: [number, number]) => `${(100 * c[0]).toFixed(1)}–${(100 * c[1]).toFixed(1)}`;
const pValue = (p: number | null) =>
  p === null || Number.isNaN(p) ? '–' : p < 0.001 ? '<0.001' : p.toFixed(3);

/** First column (the model) left-aligned, figures right-aligned, no rule under the header. */
function render(header: string[], rows: string[][]): string[] {
  const align = header.map((_, i): 'left' | 'right' => (i === 0 ? 'left' : 'right'));
  return renderTable(header, rows, { align, rule: false }).split('\n');
}

function label(m: BacktestModelResult, report: BacktestReport): string {
  const flag = m.inSample
    ? ' (in-sample!)'
    : m.kind === 'anchor'
      ? ' (anchor)'
      : m.name === report.defaultModel
        ? ' (default)'
        : '';
  return `${m.name}${flag}`;
}

/**
 * Per horizon: accuracy and coverage (with its 95% CI), then proper scores (interval scores in price units
 * and as % of the origin's close, pinball as % of the close, Kupiec / Christoffersen p-values at 1 day);
 * then per calendar year the relative interval scores and coverages. Models in the order given.
 */
export function formatBacktestTables(report: BacktestReport, symbol: string): string {
  const lines: string[] = [];
  lines.push(`${symbol} walk-forward backtest, origins ${report.from} → ${report.to}`);
  for (const h of report.horizons) {
    const key = String(h);
    const origins = report.models[0]?.origins[key] ?? 0;
    lines.push('');
    lines.push(`Horizon ${h} day${h === 1 ? '' : 's'} (${origins} origins)`);
    const accuracy = report.models.map((m) => {
      const x = m.metrics[key];
      if (!x) return [m.name];
      return [
        label(m, report),
        x.mae.toFixed(2),
        x.rmse.toFixed(2),
        `${x.mape.toFixed(2)}%`,
        x.maeRatio.toFixed(3),
        pct(x.hitRate),
        `${pct(x.coverage80)} [${ci(x.coverage80Ci)}]`,
        `${pct(x.coverage95)} [${ci(x.coverage95Ci)}]`,
        pct(x.width80),
        pct(x.width95),
      ];
    });
    lines.push(
      ...render(
        [
          'model',
          'MAE',
          'RMSE',
          'MAPE',
          'MAE/naive',
          'hit',
          'cov80 [95% CI]',
          'cov95 [95% CI]',
          'width80',
          'width95',
        ],
        accuracy,
      ),
    );
    lines.push('');
    const oneDay = h === 1;
    const scores = report.models.map((m) => {
      const x = m.metrics[key];
      if (!x) return [m.name];
      const p = x.pinballRelative;
      return [
        label(m, report),
        x.intervalScore80.toFixed(2),
        x.intervalScore95.toFixed(2),
        pct(x.intervalScore80Relative),
        pct(x.intervalScore95Relative),
        ...[p['0.025'], p['0.1'], p['0.5'], p['0.9'], p['0.975']].map((v) => (100 * v).toFixed(3)),
        ...(oneDay ? [x.kupiec80, x.kupiec95, x.christoffersen80, x.christoffersen95].map(pValue) : []),
      ];
    });
    lines.push(
      ...render(
        [
          'model',
          'IS80',
          'IS95',
          'IS80%',
          'IS95%',
          'pb.025%',
          'pb.1%',
          'pb.5%',
          'pb.9%',
          'pb.975%',
          ...(oneDay ? ['kupiec80', 'kupiec95', 'chr80', 'chr95'] : []),
        ],
        scores,
      ),
    );
    const years = [...new Set(report.models.flatMap((m) => Object.keys(m.yearly)))].sort();
    if (years.length > 1) {
      lines.push('');
      lines.push(`per year (origin's year): IS80% / IS95% of the close, then cov80 / cov95`);
      const yearly = report.models.map((m) => [
        label(m, report),
        ...years.map((y) => {
          const x = m.yearly[y]?.[key];
          return x
            ? `${(100 * x.intervalScore80Relative).toFixed(1)}/${(100 * x.intervalScore95Relative).toFixed(1)}`
            : '–';
        }),
        ...years.map((y) => {
          const x = m.yearly[y]?.[key];
          return x ? `${(100 * x.coverage80).toFixed(0)}/${(100 * x.coverage95).toFixed(0)}` : '–';
        }),
      ]);
      lines.push(
        ...render(['model', ...years.map((y) => `IS ${y}`), ...years.map((y) => `cov ${y}`)], yearly),
      );
    }
  }
  lines.push('');
  lines.push(`default model for ${symbol}: ${report.defaultModel} (lowest mean MAE ratio to persistence)`);
  lines.push(
    'IS = mean interval (Winkler) score, in price units and as % of the origin close; pb = mean pinball loss as % of the close; coverage CI: Newey–West, see docs/forecast-quality.md',
  );
  return lines.join('\n');
}
