import { resolve } from 'node:path';
import { createProgressBar, formatTable } from '@ethcast/forecast/terminal';
import {
  COINBASE_URL,
  createServices,
  type DbHandle,
  describeStartupError,
  type ImportReport,
  importPriceFile,
  listSymbols,
  loadConfig,
  openDatabase,
  type ServerConfig,
  type Services,
  SyncError,
  type SyncReport,
  syncPriceHistory,
  systemViewer,
} from '@ethcast/server';
import {
  type Command,
  type CommandContext,
  parseCommandArgs,
  stringOptions,
  UsageError,
} from '../command.ts';
import { printResult } from '../output.ts';
import { ServerRefusal, uploadPriceFile } from '../price-upload.ts';
import { serverAnswers } from '../server-probe.ts';

const n = (value: number) => value.toLocaleString('en');

/**
 * With no server answering, price commands open the configured database themselves (DATABASE_URL, or
 * the embedded one): under its lock, so never while another process holds an embedded folder.
 */
export async function withDatabase<T>(
  run: (handle: DbHandle, config: ServerConfig) => Promise<T>,
): Promise<T> {
  let config: ServerConfig;
  let handle: DbHandle;
  try {
    config = loadConfig();
    handle = await openDatabase(config);
  } catch (error) {
    throw new Error(describeStartupError(error));
  }
  try {
    return await run(handle, config);
  } finally {
    await handle.close();
  }
}

/**
 * The direct mode's services over the configured database: the CLI acts through the same use cases as
 * the server's faces, as `systemViewer('CLI on the database')` (its operator controls the database).
 */
export async function withServices<T>(
  run: (services: Services, config: ServerConfig) => Promise<T>,
): Promise<T> {
  return withDatabase(async (handle, config) => {
    const services = createServices(config, handle);
    try {
      return await run(services, config);
    } finally {
      await services.passwords.close();
    }
  });
}

/** Whom the audit log names for what the CLI does on the database itself. */
export const cliViewer = systemViewer('CLI on the database');

/** A refusal of the server's import route as the CLI's one line, with a hint for a missing sign-in. */
function describeRefusal(error: ServerRefusal, ctx: CommandContext): Error {
  if (error.reason === 'UNAUTHENTICATED' || error.reason === 'ADMIN_ONLY') {
    return new Error(
      `prices:import goes through the server at ${ctx.url}, which needs an admin: sign in with "pnpm ethcast login <admin>" (${error.reason})`,
    );
  }
  return new Error(error.message);
}

const importUsage = 'ethcast prices:import <file> [--symbol ETH-USD] [--skip-bad] [--json]';

export const pricesImportCommand: Command = {
  name: 'prices:import',
  usage: importUsage,
  summary:
    'Import a daily price CSV (plain, Yahoo, yfinance, CoinMarketCap, klines): streamed to the running server (admin sign-in), else straight into the database',
  access: 'server-or-database',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      ctx.args,
      { symbol: { type: 'string' }, 'skip-bad': { type: 'boolean' } },
      importUsage,
    );
    if (positionals.length !== 1) throw new UsageError(`expected one file (usage: ${importUsage})`);
    const file = resolve(ctx.env.cwd, positionals[0] ?? '');
    const bar = createProgressBar();
    const options = {
      ...(values.symbol ? { symbol: values.symbol } : {}),
      skipBad: values['skip-bad'] === true,
    };
    if (await serverAnswers(ctx.url)) {
      let report: ImportReport;
      try {
        report = await uploadPriceFile(file, {
          url: ctx.url,
          token: ctx.config.token,
          ...options,
          onProgress: (sent, total) =>
            ctx.json || bar.update(total ? sent / total : null, `${n(sent)} bytes sent`),
        });
      } catch (error) {
        throw error instanceof ServerRefusal ? describeRefusal(error, ctx) : error;
      } finally {
        bar.done();
      }
      return printResult(ctx, report, formatImportReport);
    }
    const report = await withDatabase(async (handle) => {
      try {
        return await importPriceFile(handle, cliViewer, {
          file,
          ...options,
          onProgress: (p) =>
            ctx.json || bar.update(p.totalBytes ? p.bytesRead / p.totalBytes : null, `${n(p.rowsRead)} rows`),
        });
      } finally {
        bar.done();
      }
    });
    printResult(ctx, report, formatImportReport);
  },
};

export function formatImportReport(r: ImportReport): string {
  const lines = [
    `${r.source} (${r.format}): ${n(r.rowsRead)} rows read, ${n(r.inserted)} inserted, ${n(r.updated)} updated, ${n(r.unchanged)} unchanged, ${n(r.skipped)} skipped`,
  ];
  if (r.symbols.length > 0) {
    lines.push(
      formatTable(
        r.symbols.map((s) => ({
          symbol: s.symbol,
          first: s.firstDay,
          last: s.lastDay,
          days: s.rows,
          missing: s.missingDays,
          'first missing': s.missingSample.slice(0, 3).join(' '),
        })),
      ),
    );
  }
  if (r.updated > 0) {
    const shown = r.changes.map((c) => `${c.symbol} ${c.day} close ${c.oldClose} → ${c.newClose}`);
    lines.push(`Updated ${n(r.updated)} days: ${shown.join('; ')}${r.updated > shown.length ? '; …' : ''}`);
  }
  if (r.skipped > 0) {
    lines.push(`Skipped ${n(r.skipped)} bad rows:`);
    for (const bad of r.badRows) lines.push(`  line ${bad.line}: ${bad.reason}`);
    if (r.skipped > r.badRows.length) lines.push(`  … and ${n(r.skipped - r.badRows.length)} more`);
  }
  return lines.join('\n');
}

/** Attempts of a direct sync's requests: a CLI user waits ~1.5 s for an unreachable exchange, not ~8 s. */
const SYNC_RETRIES = 2;

/** retry.ts's "network error (ENOTFOUND)" as the CLI says it: which host cannot be reached. */
const reachability = (text: string, host: string) =>
  text.replace(/network error \(([^)]+)\)/g, `cannot reach ${host} ($1)`);

const syncUsage = 'ethcast prices:sync [--symbol ETH-USD] [--url URL] [--since YYYY-MM-DD] [--json]';

export const pricesSyncCommand: Command = {
  name: 'prices:sync',
  usage: syncUsage,
  summary:
    'Fetch the missing closed daily candles from the exchange: by the running server (admin sign-in, its PRICES_SYNC_URL), else directly (--url or PRICES_SYNC_URL, default Coinbase)',
  access: 'server-or-database',
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(
      ctx.args,
      stringOptions('symbol', 'url', 'since'),
      syncUsage,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected "${positionals[0]}" (usage: ${syncUsage})`);
    if (values.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.since)) {
      throw new UsageError(`--since must be a day like 2016-01-01 (usage: ${syncUsage})`);
    }
    if (await serverAnswers(ctx.url)) {
      if (values.url) {
        throw new UsageError(
          `--url applies only when the CLI opens the database itself; the server at ${ctx.url} syncs from its own PRICES_SYNC_URL`,
        );
      }
      if (!ctx.json)
        console.error(
          `ethcast: asking the server at ${ctx.url} to sync ${values.symbol?.trim().toUpperCase() ?? 'its default symbol'} from its PRICES_SYNC_URL (an unreachable exchange takes it a few seconds of retries)…`,
        );
      const report = await ctx.client.prices.sync.mutate({
        ...(values.symbol ? { symbol: values.symbol.trim().toUpperCase() } : {}),
        ...(values.since ? { since: values.since } : {}),
      });
      return printResult(ctx, report, formatSyncReport);
    }
    const report = await withDatabase(async (handle, config) => {
      const baseUrl = values.url ?? config.pricesSyncUrl;
      if (!baseUrl)
        throw new UsageError(
          `sync is off (PRICES_SYNC_URL=off, or NODE_ENV=test): pass --url ${COINBASE_URL}`,
        );
      const host = new URL(baseUrl).host;
      const symbol = values.symbol ?? config.pricesSymbol;
      if (!ctx.json) console.error(`ethcast: syncing ${symbol} from ${host}…`);
      try {
        return await syncPriceHistory(handle, cliViewer, {
          symbol,
          baseUrl,
          retries: SYNC_RETRIES,
          ...(values.since ? { since: values.since } : {}),
          onRetry: (r) =>
            console.error(
              `ethcast: attempt ${r.attempt} of ${SYNC_RETRIES + 1}: ${reachability(r.reason, host)}, retrying in ${r.delayMs / 1000} s`,
            ),
          onPage: (p) => ctx.json || console.error(`  ${p.from} → ${p.to}: ${p.candles} candles`),
        });
      } catch (error) {
        if (!(error instanceof SyncError)) throw error;
        // "…: GET <url> failed after 3 attempts: network error (X)" -> "…: cannot reach <host> (X) after 3 attempts"
        throw new Error(
          reachability(error.message, host).replace(
            /GET \S+ failed after (\d+) attempts: (.*)$/,
            '$2 after $1 attempts',
          ),
        );
      }
    });
    printResult(ctx, report, formatSyncReport);
  },
};

export function formatSyncReport(r: SyncReport): string {
  if (r.from === null) return `${r.symbol} is up to date (last day ${r.lastDay ?? 'none'})`;
  const lines = [
    `${r.symbol} ${r.from} → ${r.to} from ${r.source}: ${r.pages} pages, ${n(r.fetched)} candles, ${n(r.inserted)} inserted, ${n(r.updated)} updated, ${n(r.unchanged)} unchanged; last day ${r.lastDay ?? 'none'}`,
  ];
  if (r.partialExcluded > 0) lines.push(`Left out today's candle (still open).`);
  for (const bad of r.rejected) lines.push(`Rejected ${bad.day}: ${bad.reason}`);
  return lines.join('\n');
}

export const pricesListCommand: Command = {
  name: 'prices:list',
  usage: 'ethcast prices:list [--json]',
  summary: 'Stored symbols with first and last day, days and missing days',
  access: 'server-or-database',
  async run(ctx) {
    parseCommandArgs(ctx.args, {}, 'ethcast prices:list [--json]');
    const symbols = (await serverAnswers(ctx.url))
      ? await ctx.client.prices.symbols.query()
      : await withDatabase((handle) => listSymbols(handle.db));
    printResult(ctx, symbols, () =>
      symbols.length === 0
        ? 'No prices stored: run "pnpm ethcast prices:import <file> --symbol ETH-USD"'
        : formatTable(
            symbols.map((s) => ({
              symbol: s.symbol,
              first: s.firstDay,
              last: s.lastDay,
              days: s.rows,
              missing: s.missingDays,
            })),
          ),
    );
  },
};
