import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export type PoolStats = { size: number; inUse: number; waiting: number };

/**
 * The Prometheus metrics of one server process, on a registry of its own (nothing global: tests start
 * many servers in one process). Served at /metrics (metrics/route.ts).
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'procedure' | 'type' | 'outcome'>;
  private readonly requestSeconds: Histogram<'procedure' | 'type'>;
  private readonly jobRuns: Counter<'job' | 'outcome'>;
  private readonly jobFailures: Counter<'job'>;
  private readonly jobSeconds: Histogram<'job'>;
  private readonly forecastSeconds: Histogram<'symbol' | 'model'>;

  constructor(poolStats: () => PoolStats) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'ethcast_trpc_requests_total',
      help: 'tRPC calls by procedure, type and outcome (ok or the error code)',
      labelNames: ['procedure', 'type', 'outcome'],
      registers,
    });
    this.requestSeconds = new Histogram({
      name: 'ethcast_trpc_request_duration_seconds',
      help: 'Time to answer a tRPC call, by procedure',
      labelNames: ['procedure', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.jobRuns = new Counter({
      name: 'ethcast_job_runs_total',
      help: 'Attempts of scheduled jobs run by this process, by outcome',
      labelNames: ['job', 'outcome'],
      registers,
    });
    this.jobFailures = new Counter({
      name: 'ethcast_job_failures_total',
      help: 'Failed attempts of scheduled jobs run by this process',
      labelNames: ['job'],
      registers,
    });
    this.jobSeconds = new Histogram({
      name: 'ethcast_job_duration_seconds',
      help: 'Duration of job attempts run by this process',
      labelNames: ['job'],
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900],
      registers,
    });
    this.forecastSeconds = new Histogram({
      name: 'ethcast_forecast_duration_seconds',
      help: 'Time the model takes to produce a forecast (predicts.create, without queueing or storing)',
      labelNames: ['symbol', 'model'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    const pool = new Gauge({
      name: 'ethcast_db_pool_connections',
      help: 'Database pool: size, connections in use, and queries waiting for one',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = poolStats();
        this.set({ state: 'size' }, stats.size);
        this.set({ state: 'in_use' }, stats.inUse);
        this.set({ state: 'waiting' }, stats.waiting);
      },
    });
    void pool;
  }

  request(procedure: string, type: string, outcome: string, seconds: number): void {
    this.requests.inc({ procedure, type, outcome });
    this.requestSeconds.observe({ procedure, type }, seconds);
  }

  jobFinished(job: string, outcome: 'succeeded' | 'failed', seconds: number): void {
    this.jobRuns.inc({ job, outcome });
    if (outcome === 'failed') this.jobFailures.inc({ job });
    this.jobSeconds.observe({ job }, seconds);
  }

  forecast(symbol: string, model: string, seconds: number): void {
    this.forecastSeconds.observe({ symbol, model }, seconds);
  }

  /** Prometheus text exposition format (0.0.4). */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
