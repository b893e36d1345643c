import { z } from 'zod';

export type MetricsConfig = {
  /** false: /metrics answers 404 */
  enabled: boolean;
  /** when set, /metrics needs `Authorization: Bearer <token>` */
  token: string | null;
};

export const metricsEnvSchema = {
  METRICS: z.enum(['on', 'off']).optional(),
  METRICS_TOKEN: z.string().trim().min(16, 'must be at least 16 characters').optional(),
};

/**
 * /metrics is open by default outside production. In production it is off unless METRICS_TOKEN is set
 * (then behind the token): job names, request counts and pool sizes are an attacker's map.
 */
export function metricsConfigFrom(e: {
  NODE_ENV: string;
  METRICS?: 'on' | 'off' | undefined;
  METRICS_TOKEN?: string | undefined;
}): MetricsConfig {
  const token = e.METRICS_TOKEN ?? null;
  const enabled = e.METRICS === 'off' ? false : e.NODE_ENV !== 'production' || token !== null;
  return { enabled, token };
}
