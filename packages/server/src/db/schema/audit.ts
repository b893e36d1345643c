import { bigint, index, pgTable, varchar } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { id, timestamptz } from './columns.ts';

// The audit log (`logs`, the legacy name).

export const logs = pgTable(
  'logs',
  {
    id: id(),
    date: timestamptz('date').notNull().defaultNow(),
    usernameLog: varchar('username_log', { length: 100 }),
    action: varchar('action', { length: 100 }).notNull(),
    userId: bigint('user_id', { mode: 'number' }).references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('logs_user_id_id_idx').on(t.userId, t.id), index('logs_date_idx').on(t.date)],
);
