// The tables, one file per area under schema/; drizzle.config.ts generates the migrations from here.
export * from './schema/accounts.ts';
export * from './schema/audit.ts';
export * from './schema/forecasts.ts';
export * from './schema/jobs.ts';
export * from './schema/prices.ts';
