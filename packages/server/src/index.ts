// Public surface of @ethcast/server for scripts, tests and the client's types.

export { readAdminToken } from './auth/admin-token.ts';
export { passwordSchema } from './auth/password.ts';
export type { Context, Session, SessionUser } from './context.ts';
export { createContextInner } from './context.ts';
export type { Database, DbHandle } from './db/client.ts';
export { createDb } from './db/client.ts';
export { migrateDatabase } from './db/migrate.ts';
export { openDatabase } from './db/open.ts';
export { type PriceChange, type UpsertResult, upsertPrices } from './db/queries/price-upsert.ts';
export type { Candle, PriceRow, SymbolSummary } from './db/queries/prices.ts';
export { getLatestPrice, getPriceRange, listSymbols } from './db/queries/prices.ts';
export { DomainError, isDomainError, type Reason, reasons } from './domain/errors.ts';
export { SYMBOL_PATTERN } from './domain/symbol.ts';
export type { ServerConfig } from './env.ts';
export { COINBASE_URL, EnvError, loadConfig } from './env.ts';
export { describeStartupError } from './fatal.ts';
export {
  type BadRow,
  type ImportOptions,
  type ImportProgress,
  type ImportReport,
  importPrices,
  PriceImportError,
} from './prices/import.ts';
export { FetchError } from './prices/retry.ts';
export { SyncError, type SyncOptions, type SyncReport, syncPrices } from './prices/sync.ts';
export type { AppRouter, RouterInputs, RouterOutputs } from './router.ts';
export { appRouter, createCaller } from './router.ts';
export { startServer } from './server.ts';
export type { Services } from './services.ts';
export { createServices } from './services.ts';
export { type BootstrapResult, bootstrapPrices } from './startup/bootstrap-prices.ts';
export { createAdmin, grantAdmin } from './usecases/accounts.ts';
export { importPriceFile, syncPriceHistory } from './usecases/prices.ts';
export { systemViewer, type Viewer } from './usecases/viewer.ts';
export { usernameSchema } from './validation.ts';
