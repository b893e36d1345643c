import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { cascadingRef, id, timestamptz } from './columns.ts';

// Accounts: users, their sessions, and what the sign-in and registration limits count.

export const users = pgTable(
  'users',
  {
    id: id(),
    username: varchar('username', { length: 100 }).notNull().unique(),
    password: text('password').notNull(),
    role: text('role', { enum: ['user', 'admin'] })
      .notNull()
      .default('user'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('users_username_lower_key').on(sql`lower(${t.username})`),
    check('users_role_check', sql`${t.role} in ('user', 'admin')`),
  ],
);

export type Role = (typeof users.$inferSelect)['role'];

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: cascadingRef('user_id', () => users.id).notNull(),
    /** sha256 of the bearer token; the token itself is never stored */
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
    expiresAt: timestamptz('expires_at').notNull(),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

/**
 * Login attempts that count against the limits (domain/login-policy.ts): one row per attempt, `pending`
 * from the moment its slot is reserved until the password has been checked, then `failed`; a success
 * deletes its row. Pending rows count as failures, so concurrent attempts cannot overshoot a limit.
 * The source of truth across every server process on the database.
 */
export const loginAttempts = pgTable(
  'login_attempts',
  {
    id: id(),
    /** lower-cased username as typed (unknown usernames are limited too) */
    usernameKey: varchar('username_key', { length: 100 }).notNull(),
    /** the client address as the server sees it (see TRUST_PROXY); '' when there is none */
    clientIp: varchar('client_ip', { length: 64 }).notNull(),
    attemptedAt: timestamptz('attempted_at').notNull(),
    outcome: text('outcome', { enum: ['pending', 'failed'] }).notNull(),
  },
  (t) => [
    index('login_attempts_username_time_idx').on(t.usernameKey, t.attemptedAt),
    index('login_attempts_client_time_idx').on(t.clientIp, t.attemptedAt),
    index('login_attempts_time_idx').on(t.attemptedAt),
    check('login_attempts_outcome_check', sql`${t.outcome} in ('pending', 'failed')`),
  ],
);

/** Client addresses a user has signed in from: they keep signing in while others hit the account's ceiling. */
export const knownClients = pgTable(
  'known_clients',
  {
    userId: cascadingRef('user_id', () => users.id).notNull(),
    clientIp: varchar('client_ip', { length: 64 }).notNull(),
    lastSuccessAt: timestamptz('last_success_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clientIp] })],
);

/** Registrations per client address, for the per-address limit. */
export const registrationAttempts = pgTable(
  'registration_attempts',
  {
    id: id(),
    clientIp: varchar('client_ip', { length: 64 }).notNull(),
    attemptedAt: timestamptz('attempted_at').notNull(),
  },
  (t) => [index('registration_attempts_client_time_idx').on(t.clientIp, t.attemptedAt)],
);
