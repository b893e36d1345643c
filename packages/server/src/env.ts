import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { SYMBOL_PATTERN } from './domain/symbol.ts';
import { booleanString, offOrNumber, parseTrustProxy, seconds, wholeNumber } from './env-values.ts';
import { jobsConfigFrom, jobsEnvSchema } from './jobs/config.ts';
import { metricsConfigFrom, metricsEnvSchema } from './metrics/config.ts';
import { adminTokenFile, modelsDir } from './paths.ts';

export { parseTrustProxy, type TrustProxy } from './env-values.ts';

// The only module that reads the environment. Everything else receives a `ServerConfig`.

/**
 * Per-user limits on forecast creation (README "Configuration"; forecasts/forecast-gate.ts). Under
 * NODE_ENV=test the rate and the daily cap are off and 1,000 may be in progress, unless set: tests that
 * are not about these limits create many forecasts quickly as one user.
 */
export const DEFAULT_FORECAST_LIMITS = {
  userConcurrency: 4,
  ratePerMinute: 30,
  burst: 20,
  dailyCap: 500,
} as const;

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z
    .string()
    .trim()
    .min(1)
    .refine((v) => /^(postgres(ql)?:\/\/|memory:\/\/|file:|\.{0,2}\/)/.test(v), {
      message: 'must be a postgres:// URL, memory:// or a PGlite data directory (file:, ./ or /)',
    })
    .optional(),
  DATABASE_PREPARE: booleanString.default(true),
  PORT: wholeNumber(0, 65535).default(3000),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => !list.includes('*'), {
      message: 'must list explicit origins; "*" is not allowed with credentials',
    })
    .refine((list) => list.every((o) => /^https?:\/\/[^/\s]+$/.test(o)), {
      message: 'must be a comma-separated list of origins like https://app.example.com',
    }),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).optional(),
  BCRYPT_CONCURRENCY: wholeNumber(1, 64).optional(),
  BCRYPT_NICE: wholeNumber(0, 19).optional(),
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((v, ctx) => {
      const parsed = parseTrustProxy(v);
      if (parsed === null) {
        ctx.addIssue({
          code: 'custom',
          message:
            'must be false, a number of proxy hops (1, 2, ...) or a comma-separated list of proxy addresses or CIDR ranges',
        });
        return z.NEVER;
      }
      return parsed;
    }),
  PRICES_CSV: z.string().trim().min(1).optional(),
  PRICES_SYMBOL: z
    .string()
    .trim()
    .toUpperCase()
    .regex(SYMBOL_PATTERN, { message: 'must look like ETH-USD' })
    .default('ETH-USD'),
  PRICES_SYNC_URL: z
    .string()
    .trim()
    .refine((v) => v === 'off' || /^https?:\/\/[^\s]+$/.test(v), {
      message: 'must be an http(s) URL of a Coinbase-Exchange-compatible API, or "off"',
    })
    .optional(),
  DEMO_ADMIN: booleanString.optional(),
  COOKIE_SECURE: booleanString.optional(),
  MODELS_DIR: z.string().trim().min(1).optional(),
  ADMIN_TOKEN_FILE: z.string().trim().min(1).optional(),
  PREDICT_CONCURRENCY: wholeNumber(1, 64).default(2),
  BODY_IDLE_TIMEOUT_SECONDS: seconds(0.1, 3600).default(30),
  REQUEST_TIMEOUT_SECONDS: seconds(0.1, 86_400).default(60),
  UPLOAD_TIMEOUT_SECONDS: seconds(0.1, 86_400).default(3600),
  CONNECTIONS_PER_ADDRESS: wholeNumber(0, 1_000_000).default(256),
  FORECAST_USER_CONCURRENCY: wholeNumber(1, 1000).optional(),
  FORECAST_RATE_PER_MINUTE: offOrNumber({ min: 0.01, max: 100_000, integer: false }).optional(),
  FORECAST_BURST: wholeNumber(1, 10_000).default(DEFAULT_FORECAST_LIMITS.burst),
  FORECAST_DAILY_CAP: offOrNumber({ min: 1, max: 10_000_000, integer: true }).optional(),
  ...jobsEnvSchema,
  ...metricsEnvSchema,
});

/** CPU priority of the bcrypt threads unless BCRYPT_NICE says otherwise (docs/benchmarks.md, "Fair under load"). */
export const DEFAULT_BCRYPT_NICE = 10;

/** Coinbase Exchange, the price source prices/coinbase.ts speaks: the default of PRICES_SYNC_URL. */
export const COINBASE_URL = 'https://api.exchange.coinbase.com';

/** What the server runs with: derived from the env schema by `configFrom`, so it is written once. */
export type ServerConfig = ReturnType<typeof configFrom>;

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Parses an environment (default `process.env`) into a config; throws EnvError with one readable line. */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') ?? 'environment';
    throw new EnvError(`Invalid environment: ${key} ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && e.METRICS === 'on' && !e.METRICS_TOKEN) {
    throw new EnvError('Invalid environment: METRICS=on in production needs METRICS_TOKEN');
  }
  return configFrom(e);
}

function configFrom(e: z.infer<typeof envSchema>) {
  const production = e.NODE_ENV === 'production';
  return {
    nodeEnv: e.NODE_ENV,
    /** undefined = embedded PGlite under `.data/` */
    databaseUrl: e.DATABASE_URL,
    databasePrepare: e.DATABASE_PREPARE,
    port: e.PORT,
    host: e.HOST,
    corsOrigins: e.CORS_ORIGINS,
    logLevel: e.LOG_LEVEL,
    bcryptCost: e.BCRYPT_COST ?? (e.NODE_ENV === 'test' ? 4 : 12),
    /** bcrypt hashes at once (default: the number of cores); 16 times as many may wait */
    bcryptConcurrency: e.BCRYPT_CONCURRENCY ?? availableParallelism(),
    /** CPU priority of the bcrypt threads, 0 (the event loop's) to 19 (lowest) */
    bcryptNice: e.BCRYPT_NICE ?? DEFAULT_BCRYPT_NICE,
    /**
     * Whose X-Forwarded-For to believe for the client address the limits count: nobody (false, the
     * default), this many proxy hops in front, or these proxy addresses / CIDR ranges.
     */
    trustProxy: e.TRUST_PROXY,
    /** request bodies and connections (http-limits.ts) */
    limits: {
      /** a body the server waits for gets no byte this long: the connection is cut */
      bodyIdleMs: e.BODY_IDLE_TIMEOUT_SECONDS * 1000,
      /** a request's body not received in full this long after its headers: cut */
      requestBodyMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
      /** the same for a price file upload */
      uploadBodyMs: e.UPLOAD_TIMEOUT_SECONDS * 1000,
      /** open connections per TCP peer address (0: no cap); trusted proxies (TRUST_PROXY) are exempt */
      connectionsPerAddress: e.CONNECTIONS_PER_ADDRESS,
    },
    pricesCsv: e.PRICES_CSV,
    pricesSymbol: e.PRICES_SYMBOL,
    /** exchange API for `prices:sync` and the first-start sync; null = off (the default under test) */
    pricesSyncUrl:
      e.PRICES_SYNC_URL === 'off'
        ? null
        : (e.PRICES_SYNC_URL ?? (e.NODE_ENV === 'test' ? null : COINBASE_URL)),
    /** create a demo admin on first start (embedded dev database only) */
    demoAdmin: !production && (e.DEMO_ADMIN ?? e.DATABASE_URL === undefined),
    /** Secure flag on the session cookie (default: on in production) */
    cookieSecure: e.COOKIE_SECURE ?? production,
    /** folder of shipped models (default: models/ in the repository) */
    modelsDir: e.MODELS_DIR ?? modelsDir(),
    /** forecasts created at once per process; more wait their turn (see forecasts/fair-queue.ts) */
    predictConcurrency: e.PREDICT_CONCURRENCY,
    /** per-user limits on forecast creation, shared by every process on the database */
    forecastLimits: {
      /** a user's forecasts admitted at once (waiting or running), per process and across all */
      userConcurrency:
        e.FORECAST_USER_CONCURRENCY ??
        (e.NODE_ENV === 'test' ? 1000 : DEFAULT_FORECAST_LIMITS.userConcurrency),
      /** sustained forecasts per minute per user (a token bucket); null = no rate limit */
      ratePerMinute:
        e.FORECAST_RATE_PER_MINUTE === undefined
          ? e.NODE_ENV === 'test'
            ? null
            : DEFAULT_FORECAST_LIMITS.ratePerMinute
          : e.FORECAST_RATE_PER_MINUTE,
      /** the bucket's size: forecasts a user may create at once after a pause */
      burst: e.FORECAST_BURST,
      /** forecasts a user may store per UTC day; null = no cap */
      dailyCap:
        e.FORECAST_DAILY_CAP === undefined
          ? e.NODE_ENV === 'test'
            ? null
            : DEFAULT_FORECAST_LIMITS.dailyCap
          : e.FORECAST_DAILY_CAP,
    },
    /** scheduled jobs (jobs/config.ts): which run, when, and how failures are retried */
    jobs: jobsConfigFrom(e),
    /** Prometheus /metrics (metrics/config.ts): off, open, or behind a bearer token */
    metrics: metricsConfigFrom(e),
    /** one-time token for creating the first admin through the server (auth/admin-token.ts) */
    adminTokenFile: e.ADMIN_TOKEN_FILE ?? adminTokenFile(),
  };
}
