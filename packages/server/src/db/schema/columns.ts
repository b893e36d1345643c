import { type AnyPgColumn, bigint, timestamp } from 'drizzle-orm/pg-core';

// Supabase-compatible: plain `public` schema, bigint identity keys, timestamptz, jsonb, and the legacy
// table and column names (users, logs, predict; username_log, username_predict, forecast_result).

export const id = () => bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity();
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** A bigint column referring to `parent` (an id): its rows are deleted with the row they refer to. */
export const cascadingRef = (name: string, parent: () => AnyPgColumn) =>
  bigint(name, { mode: 'number' }).references(parent, { onDelete: 'cascade' });
