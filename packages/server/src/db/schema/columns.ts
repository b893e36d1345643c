import { bigint, timestamp } from 'drizzle-orm/pg-core';

// Supabase-compatible: plain `public` schema, bigint identity keys, timestamptz, jsonb, and the legacy
// table and column names (users, logs, predict; username_log, username_predict, forecast_result).

export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
