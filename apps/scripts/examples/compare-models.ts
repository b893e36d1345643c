/**
 * Example: sign in, forecast with every model registered for a symbol, and print how they compare.
 *
 *   ETHCAST_USERNAME=ana ETHCAST_PASSWORD=... pnpm --filter @ethcast/scripts exec tsx examples/compare-models.ts
 *
 * Options (environment): ETHCAST_URL (default http://127.0.0.1:3000), SYMBOL (default ETH-USD),
 * DAYS (default 7), KEEP=1 to keep the forecasts it makes (by default it deletes them again).
 * Every type below comes from the server through @ethcast/client; nothing is restated by hand.
 */
import { createEthcastClient, type RouterOutputs, TRPCClientError } from '@ethcast/client';

type Model = RouterOutputs['models']['list'][number];
type Forecast = RouterOutputs['predicts']['create'];

function exitWithError(message: string): never {
  console.error(`compare-models: ${message}`);
  process.exit(1);
}

const url = process.env.ETHCAST_URL ?? 'http://127.0.0.1:3000';
const username = process.env.ETHCAST_USERNAME ?? exitWithError('set ETHCAST_USERNAME and ETHCAST_PASSWORD');
const password = process.env.ETHCAST_PASSWORD ?? exitWithError('set ETHCAST_PASSWORD');
const symbol = process.env.SYMBOL ?? 'ETH-USD';
const days = Number(process.env.DAYS ?? '7');
if (!Number.isInteger(days) || days < 1) exitWithError('DAYS must be a positive whole number');
const keep = process.env.KEEP === '1';

/** The backtest horizon closest to `days` ('1', '7', '30'). */
function backtestAt(model: Model) {
  const entries = Object.entries(model.metrics ?? {});
  entries.sort(([a], [b]) => Math.abs(Number(a) - days) - Math.abs(Number(b) - days));
  const [horizon, metrics] = entries[0] ?? [];
  return horizon && metrics ? { horizon, metrics } : null;
}

const pad = (text: string, width: number) => text.padEnd(width);
const money = (n: number) => n.toLocaleString('en-US', { style: 'currency', currency: 'USD' });

async function main() {
  let token: string | null = null;
  const api = createEthcastClient({ url, getToken: () => token });

  const session = await api.users.login.mutate({ username, password });
  token = session.token;
  console.log(`Signed in to ${url} as ${session.user.username}.`);

  const models = await api.models.list.query({ symbol });
  if (models.length === 0) exitWithError(`no models for ${symbol}`);
  console.log(`Forecasting ${symbol} ${days} day(s) ahead with ${models.length} models…\n`);

  const results: { model: Model; forecast: Forecast | null; error: string | null }[] = [];
  for (const model of models) {
    const started = Date.now();
    try {
      const forecast = await api.predicts.create.mutate({
        symbol,
        model: model.name,
        days: Math.min(days, model.maxHorizon),
        note: 'compare-models example',
      });
      results.push({ model, forecast, error: null });
      console.log(`  ${pad(model.name, 10)} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = error instanceof TRPCClientError ? error.message : String(error);
      results.push({ model, forecast: null, error: message });
      console.log(`  ${pad(model.name, 10)} failed: ${message}`);
    }
  }

  const through = results.find((r) => r.forecast)?.forecast?.dataThrough ?? '?';
  console.log(`\nPrices through ${through}. Backtest: MAE relative to persistence (below 1 beats it).\n`);
  console.log(
    [
      pad('model', 10),
      pad('default', 8),
      pad('vs persist.', 12),
      pad('last day', 12),
      pad('forecast', 14),
      '80% range',
    ]
      .join(' ')
      .trimEnd(),
  );
  for (const { model, forecast, error } of results) {
    const backtest = backtestAt(model);
    const ratio = backtest ? `${backtest.metrics.maeRatio.toFixed(3)} @${backtest.horizon}d` : 'n/a';
    const last = forecast?.points?.at(-1);
    const cells = [
      pad(model.name, 10),
      pad(model.isDefault ? 'yes' : '', 8),
      pad(ratio, 12),
      pad(last?.day ?? '', 12),
      pad(last ? money(last.value) : (error ?? ''), 14),
      last && last.lower80 !== undefined && last.upper80 !== undefined
        ? `${money(last.lower80)} – ${money(last.upper80)}`
        : '',
    ];
    console.log(cells.join(' ').trimEnd());
  }

  if (!keep) {
    for (const { forecast } of results) if (forecast) await api.predicts.delete.mutate({ id: forecast.id });
    console.log('\nDeleted the example forecasts again (KEEP=1 keeps them).');
  }
  await api.users.logout.mutate();
  if (results.every((r) => r.error)) process.exit(1);
}

main().catch((error: unknown) => {
  exitWithError(
    error instanceof TRPCClientError ? error.message : error instanceof Error ? error.message : String(error),
  );
});
