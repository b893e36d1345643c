import { describe, expect, it } from 'vitest';
import { EnvError, loadConfig } from './env.ts';

describe('loadConfig', () => {
  it('has safe defaults: embedded database, localhost, port 3000, no CORS', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      port: 3000,
      host: '127.0.0.1',
      corsOrigins: [],
      nodeEnv: 'development',
      bcryptCost: 12,
      demoAdmin: true,
      predictConcurrency: 2,
      trustProxy: false,
    });
    expect(loadConfig({ NODE_ENV: 'production' }).trustProxy).toBe(false);
  });

  it('reads TRUST_PROXY as off, a hop count or a list of proxy addresses', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16, ::1' }).trustProxy).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      '::1',
    ]);
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid environment: PORT must be a number$/],
    [{ PORT: '70000' }, /PORT/],
    [{ CORS_ORIGINS: '*' }, /CORS_ORIGINS must list explicit origins/],
    [{ CORS_ORIGINS: 'https://a.example, not a url' }, /CORS_ORIGINS/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a postgres:\/\/ URL/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ PREDICT_CONCURRENCY: '0' }, /PREDICT_CONCURRENCY/],
    [{ PREDICT_CONCURRENCY: 'many' }, /^Invalid environment: PREDICT_CONCURRENCY must be a number$/],
    [{ TRUST_PROXY: 'true' }, /^Invalid environment: TRUST_PROXY must be false, a number of proxy hops/],
    [{ TRUST_PROXY: '10.0.0.1/40' }, /TRUST_PROXY/],
    [{ TRUST_PROXY: 'proxy.example' }, /TRUST_PROXY/],
    [{ BCRYPT_CONCURRENCY: '0' }, /BCRYPT_CONCURRENCY/],
    [{ BCRYPT_NICE: '20' }, /BCRYPT_NICE/],
    [{ BCRYPT_NICE: '-5' }, /BCRYPT_NICE/],
    [{ BCRYPT_NICE: 'low' }, /^Invalid environment: BCRYPT_NICE must be a number$/],
    [{ FORECAST_USER_CONCURRENCY: '0' }, /FORECAST_USER_CONCURRENCY/],
    [{ FORECAST_RATE_PER_MINUTE: 'fast' }, /^Invalid environment: FORECAST_RATE_PER_MINUTE must be a number/],
    [{ FORECAST_RATE_PER_MINUTE: '0' }, /FORECAST_RATE_PER_MINUTE/],
    [{ FORECAST_BURST: '0' }, /FORECAST_BURST/],
    [{ FORECAST_DAILY_CAP: '2.5' }, /^Invalid environment: FORECAST_DAILY_CAP must be a whole number/],
    [{ FORECAST_DAILY_CAP: '' }, /FORECAST_DAILY_CAP/],
  ])('rejects %o with one clear line', (env, message) => {
    expect(() => loadConfig(env)).toThrow(EnvError);
    expect(() => loadConfig(env)).toThrow(message);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('limits forecast creation per user by default (not under NODE_ENV=test unless set), or as set', () => {
    expect(loadConfig({}).forecastLimits).toEqual({
      userConcurrency: 4,
      ratePerMinute: 30,
      burst: 20,
      dailyCap: 500,
    });
    expect(loadConfig({ NODE_ENV: 'test' }).forecastLimits).toEqual({
      userConcurrency: 1000,
      ratePerMinute: null,
      burst: 20,
      dailyCap: null,
    });
    expect(
      loadConfig({
        NODE_ENV: 'test',
        FORECAST_USER_CONCURRENCY: '2',
        FORECAST_RATE_PER_MINUTE: '0.5',
        FORECAST_BURST: '3',
        FORECAST_DAILY_CAP: '100',
      }).forecastLimits,
    ).toEqual({ userConcurrency: 2, ratePerMinute: 0.5, burst: 3, dailyCap: 100 });
    expect(
      loadConfig({ FORECAST_RATE_PER_MINUTE: 'off', FORECAST_DAILY_CAP: 'off' }).forecastLimits,
    ).toMatchObject({ ratePerMinute: null, dailyCap: null });
  });

  it('bcrypt threads run at nice 10 unless BCRYPT_NICE says otherwise', () => {
    expect(loadConfig({}).bcryptNice).toBe(10);
    expect(loadConfig({ BCRYPT_NICE: '0' }).bcryptNice).toBe(0);
    expect(loadConfig({ BCRYPT_NICE: '19' }).bcryptNice).toBe(19);
  });

  it('parses explicit origins and never creates a demo admin in production', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      DATABASE_URL: 'postgres://u:p@db:5432/ethcast',
      DEMO_ADMIN: 'true',
    });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(config.demoAdmin).toBe(false);
    expect(config.bcryptCost).toBe(12);
  });
});
