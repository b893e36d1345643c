import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/server.ts';

type Sample = { name: string; labels: Record<string, string>; value: number };

/**
 * A strict reader of Prometheus's text exposition format 0.0.4: every line is a HELP or TYPE comment or a
 * sample `name{label="value",...} value`, metric and label names are valid, label values escape only
 * backslash, quote and newline, every sample belongs to a family whose TYPE came first, and histograms have cumulative
 * buckets ending in le="+Inf" equal to their _count. Throws on the first violation.
 */
function parsePrometheusText(text: string): Sample[] {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const name = '[a-zA-Z_:][a-zA-Z0-9_:]*';
  const sampleLine = new RegExp(`^(${name})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
  const label = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/;
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('# HELP ')) {
      expect(line).toMatch(new RegExp(`^# HELP ${name} .*$`));
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const m = line.match(new RegExp(`^# TYPE (${name}) (counter|gauge|histogram|summary|untyped)$`));
      if (!m?.[1] || !m[2]) throw new Error(`bad TYPE line: ${line}`);
      expect(types.has(m[1])).toBe(false);
      types.set(m[1], m[2]);
      continue;
    }
    if (line === '') continue; // "empty lines are ignored"
    if (line.startsWith('#')) throw new Error(`unexpected line: "${line}"`);
    const m = line.match(sampleLine);
    if (!m?.[1] || !m[3]) throw new Error(`bad sample line: ${line}`);
    const labels: Record<string, string> = {};
    let rest = m[2] ?? '';
    while (rest.length > 0) {
      const l = rest.match(label);
      if (!l?.[1] || l[2] === undefined) throw new Error(`bad labels in: ${line}`);
      labels[l[1]] = l[2];
      rest = rest.slice(l[0].length);
    }
    const value = m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
    if (Number.isNaN(value) && m[3] !== 'NaN') throw new Error(`bad value in: ${line}`);
    const family = m[1].replace(/_(bucket|sum|count|total)$/, '');
    if (!types.has(m[1]) && !types.has(family)) throw new Error(`sample before its TYPE: ${line}`);
    samples.push({ name: m[1], labels, value });
  }
  for (const [family, type] of types) {
    if (type !== 'histogram') continue;
    const series = new Map<string, Sample[]>();
    for (const s of samples.filter((x) => x.name === `${family}_bucket`)) {
      const { le: _le, ...rest } = s.labels;
      const key = JSON.stringify(rest);
      series.set(key, [...(series.get(key) ?? []), s]);
    }
    for (const [key, buckets] of series) {
      for (let i = 1; i < buckets.length; i++) {
        expect(buckets[i]?.value).toBeGreaterThanOrEqual(buckets[i - 1]?.value as number);
      }
      expect(buckets.at(-1)?.labels.le).toBe('+Inf');
      const count = samples.find((x) => x.name === `${family}_count` && JSON.stringify(x.labels) === key);
      expect(count?.value).toBe(buckets.at(-1)?.value);
    }
  }
  return samples;
}

describe('/metrics', () => {
  let server: TestServer | null = null;
  afterEach(async () => {
    await server?.stop();
    server = null;
  });

  it('serves request, job, forecast and pool metrics in Prometheus text format', async () => {
    server = await startTestServer();
    const client = server.client();
    await client.models.list.query({});
    await client.models.list.query({});
    await client.predicts.list.query({}).catch(() => {}); // UNAUTHORIZED
    server.services.metrics.jobFinished('score-forecasts', 'failed', 0.2);
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const samples = parsePrometheusText(text);
    const value = (name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
        ?.value;
    expect(
      value('ethcast_trpc_requests_total', { procedure: 'models.list', type: 'query', outcome: 'ok' }),
    ).toBe(2);
    expect(
      value('ethcast_trpc_requests_total', { procedure: 'predicts.list', outcome: 'UNAUTHORIZED' }),
    ).toBe(1);
    expect(value('ethcast_trpc_request_duration_seconds_count', { procedure: 'models.list' })).toBe(2);
    expect(value('ethcast_job_runs_total', { job: 'score-forecasts', outcome: 'failed' })).toBe(1);
    expect(value('ethcast_job_failures_total', { job: 'score-forecasts' })).toBe(1);
    expect(value('ethcast_db_pool_connections', { state: 'size' })).toBeGreaterThanOrEqual(1);
    expect(value('ethcast_db_pool_connections', { state: 'waiting' })).toBe(0);
    expect(text).toContain('# TYPE ethcast_forecast_duration_seconds histogram');
  });

  it('with METRICS_TOKEN needs the bearer token', async () => {
    server = await startTestServer({ METRICS_TOKEN: 'a-long-metrics-token-1234' });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${server.url}/metrics`, {
      headers: { authorization: 'Bearer a-long-metrics-token-1234' },
    });
    expect(right.status).toBe(200);
  });

  it('is off in production without a token, and off when switched off', async () => {
    server = await startTestServer({ NODE_ENV: 'production' });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    await server.stop();
    server = await startTestServer({ METRICS: 'off' });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
  });
});
