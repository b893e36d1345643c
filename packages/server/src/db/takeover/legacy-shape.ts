/**
 * The legacy FastAPI + Supabase backend's tables, and the shape `drizzle/0000_init.sql` gives the same
 * tables. 0000_init is a generated migration and never changes, so this description of its three
 * tables is fixed too; `takeover.test.ts` compares a converted database's catalogue with a fresh one.
 */

export const LEGACY_TABLES = ['users', 'logs', 'predict'] as const;
export type LegacyTable = (typeof LEGACY_TABLES)[number];

/** The other tables 0000_init creates: a legacy database must not have them already. */
export const ETHCAST_ONLY_TABLES = ['sessions', 'login_failures', 'login_lockouts'] as const;

const INTEGER_TYPES = ['int2', 'int4', 'int8'];
const TEXT_TYPES = ['text', 'varchar'];
const DATE_TYPES = [...TEXT_TYPES, 'timestamp', 'timestamptz'];

export type TargetColumn = {
  name: string;
  /** the legacy column types the takeover converts from */
  from: string[];
  /** as 0000_init declares it */
  type: string;
  notNull: boolean;
  default?: string;
};

export type TableShape = {
  /** columns the legacy backend wrote (all required) */
  legacy: TargetColumn[];
  /** columns 0000_init has and the legacy table may lack (added when missing) */
  added: TargetColumn[];
};

export const shapes: Record<LegacyTable, TableShape> = {
  users: {
    legacy: [
      { name: 'username', from: TEXT_TYPES, type: 'varchar(100)', notNull: true },
      { name: 'password', from: TEXT_TYPES, type: 'text', notNull: true },
    ],
    added: [
      { name: 'role', from: [], type: 'text', notNull: true, default: `'user'` },
      // Supabase's table editor adds created_at to every table; kept when present
      {
        name: 'created_at',
        from: ['timestamptz', 'timestamp'],
        type: 'timestamp with time zone',
        notNull: true,
        default: 'now()',
      },
    ],
  },
  logs: {
    legacy: [
      { name: 'date', from: DATE_TYPES, type: 'timestamp with time zone', notNull: true, default: 'now()' },
      { name: 'username_log', from: TEXT_TYPES, type: 'varchar(100)', notNull: false },
      { name: 'action', from: TEXT_TYPES, type: 'varchar(100)', notNull: true },
      { name: 'user_id', from: INTEGER_TYPES, type: 'bigint', notNull: false },
    ],
    added: [],
  },
  predict: {
    legacy: [
      { name: 'date', from: DATE_TYPES, type: 'timestamp with time zone', notNull: true, default: 'now()' },
      { name: 'username_predict', from: TEXT_TYPES, type: 'varchar(100)', notNull: false },
      { name: 'user_id', from: INTEGER_TYPES, type: 'bigint', notNull: false },
      { name: 'forecast', from: ['bool', ...TEXT_TYPES], type: 'text', notNull: false },
      { name: 'forecast_result', from: ['jsonb', 'json', ...TEXT_TYPES], type: 'jsonb', notNull: false },
      { name: 'model', from: TEXT_TYPES, type: 'varchar(100)', notNull: false },
    ],
    added: [],
  },
};

export const ID_TYPES = INTEGER_TYPES;

/** The legacy backend's own time zone: its text dates are local times there. */
export const LEGACY_TIME_ZONE = 'America/Sao_Paulo';

/** The legacy backend forecast only ETH, in US dollars. */
export const LEGACY_SYMBOL = 'ETH-USD';
