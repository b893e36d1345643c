import { sql } from 'drizzle-orm';
import { actions } from '../../domain/actions.ts';
import { type Executor, queryRows } from '../client.ts';
import { publicTables, quoteIdent, tableColumns, tableConstraints } from './catalog.ts';
import { convertTable, detachOrphans, type TableInfo, writeConvertedPoints } from './convert.ts';
import {
  ETHCAST_ONLY_TABLES,
  ID_TYPES,
  LEGACY_SYMBOL,
  LEGACY_TABLES,
  type LegacyTable,
  shapes,
} from './legacy-shape.ts';
import { scanLegacyRows } from './scan.ts';
import { LegacyTakeoverError } from './takeover-error.ts';

export type TakeoverReport = {
  /** rows taken over, per table */
  users: number;
  logs: number;
  predict: number;
  /** log and forecast rows whose user no longer existed: their user_id is now NULL */
  detachedLogs: number;
  detachedPredicts: number;
  /** columns Ethcast does not know, kept as they were (`table.column`) */
  keptColumns: string[];
};

/**
 * Takes over a legacy backend's tables in place, inside the migration transaction, in place of
 * 0000_init: the tables it finds are altered into exactly the shape 0000_init creates, the other tables
 * of 0000_init are created by 0000_init's own statements, and the caller records 0000_init as applied.
 * Returns null when there is nothing to take over (no legacy table in `public`).
 */
export async function takeOverLegacyTables(
  db: Executor,
  init: { statements: string[] },
): Promise<TakeoverReport | null> {
  const existing = await publicTables(db);
  const present = LEGACY_TABLES.filter((t) => existing.has(t));
  if (present.length === 0) return null;
  for (const table of ETHCAST_ONLY_TABLES) {
    if (existing.has(table)) {
      throw new LegacyTakeoverError(
        `table ${table} exists, but no migration was recorded: this is neither an empty database nor the legacy backend's`,
      );
    }
  }

  const info = new Map<LegacyTable, TableInfo>();
  for (const table of present) {
    const columns = await tableColumns(db, table);
    checkShape(table, columns);
    info.set(table, { columns, constraints: await tableConstraints(db, table) });
  }
  const typeOf = (table: LegacyTable, column: string) =>
    info.get(table)?.columns.find((c) => c.name === column)?.typeName;

  const scan = await scanLegacyRows(db, new Set(present), {
    logs: typeOf('logs', 'date'),
    predict: typeOf('predict', 'date'),
  });
  if (scan.problems.length) throw LegacyTakeoverError.forRows(scan.problems);

  for (const [table, tableInfo] of info) await convertTable(db, table, tableInfo);
  if (info.has('predict')) {
    await writeConvertedPoints(db, scan.points, { summaries: typeOf('predict', 'forecast') === 'bool' });
  }

  // 0000_init's own statements for everything else: its other tables first (users too, if absent),
  // then, once no user_id points nowhere, its foreign keys and indexes.
  const creates = init.statements.filter((s) => /^\s*CREATE TABLE/.test(s));
  const others = init.statements.filter((s) => s.trim() !== '' && !/^\s*CREATE TABLE/.test(s));
  for (const statement of creates) {
    const table = /^\s*CREATE TABLE "(\w+)"/.exec(statement)?.[1];
    if (!table) throw new Error(`takeover: unexpected statement in 0000_init: ${statement.slice(0, 60)}`);
    if (!info.has(table as LegacyTable)) await db.execute(sql.raw(statement));
  }
  const detached = await detachOrphans(db);
  for (const statement of others) {
    const index = /^\s*CREATE (?:UNIQUE )?INDEX "(\w+)"/.exec(statement)?.[1];
    if (index) await db.execute(sql.raw(`drop index if exists public.${quoteIdent(index)}`));
    else if (!/^\s*ALTER TABLE "\w+" ADD CONSTRAINT "\w+" FOREIGN KEY/.test(statement)) {
      throw new Error(`takeover: unexpected statement in 0000_init: ${statement.slice(0, 60)}`);
    }
    await db.execute(sql.raw(statement));
  }

  const count = async (table: LegacyTable) =>
    info.has(table)
      ? ((
          await queryRows<{ n: number }>(
            db,
            sql.raw(`select count(*)::int as "n" from public.${quoteIdent(table)}`),
          )
        )[0]?.n ?? 0)
      : 0;
  const keptColumns = [...info].flatMap(([table, { columns }]) => {
    const known = new Set([
      'id',
      ...shapes[table].legacy.map((c) => c.name),
      ...shapes[table].added.map((c) => c.name),
    ]);
    return columns.filter((c) => !known.has(c.name)).map((c) => `${table}.${c.name}`);
  });
  return {
    users: await count('users'),
    logs: await count('logs'),
    predict: await count('predict'),
    detachedLogs: detached.logs,
    detachedPredicts: detached.predict,
    keptColumns,
  };
}

/**
 * After every migration, in the same transaction: what the later migrations added to the taken-over
 * forecasts (their symbol and number of days; the model version and price day they used were never
 * recorded and stay empty), and the one log row that records the takeover.
 */
export async function finishTakeover(db: Executor, report: TakeoverReport): Promise<void> {
  await db.execute(
    sql`update public.predict set symbol = ${LEGACY_SYMBOL},
          days = case when jsonb_typeof(forecast_result) = 'array' and jsonb_array_length(forecast_result) between 1 and 365
                      then jsonb_array_length(forecast_result) end`,
  );
  await db.execute(
    sql`insert into public.logs (username_log, action, user_id) values (null, ${takeoverAction(report)}, null)`,
  );
}

/** What `pnpm db:migrate` prints after a takeover. */
export function describeTakeover(report: TakeoverReport): string {
  const lines = [
    `Legacy backend's data taken over: ${report.users} users, ${report.logs} log rows, ${report.predict} forecasts (ids kept).`,
  ];
  if (report.detachedLogs + report.detachedPredicts > 0) {
    lines.push(
      `${report.detachedLogs} log rows and ${report.detachedPredicts} forecasts named a user that no longer exists: their user_id is now empty.`,
    );
  }
  if (report.keptColumns.length) lines.push(`Columns kept as they were: ${report.keptColumns.join(', ')}.`);
  lines.push(
    'Every user has the role "user": name the first admin with `pnpm ethcast admin:grant <username>`.',
  );
  return lines.join('\n');
}

export function takeoverAction(report: TakeoverReport): string {
  return actions.legacyTakeover({
    users: report.users,
    logs: report.logs,
    forecasts: report.predict,
    detached: report.detachedLogs + report.detachedPredicts,
  });
}

function checkShape(table: LegacyTable, columns: { name: string; typeName: string }[]) {
  const byName = new Map(columns.map((c) => [c.name, c.typeName]));
  const expect = (column: string, types: string[]) => {
    const type = byName.get(column);
    if (type === undefined) {
      throw new LegacyTakeoverError(
        `table ${table} has no column ${column}: it is not the legacy backend's ${table}`,
      );
    }
    if (!types.includes(type)) {
      throw new LegacyTakeoverError(
        `column ${table}.${column} is of type ${type}; the takeover converts ${types.join(', ')}`,
      );
    }
  };
  expect('id', ID_TYPES);
  for (const column of shapes[table].legacy) expect(column.name, column.from);
  for (const column of shapes[table].added) {
    if (!byName.has(column.name)) continue;
    if (column.from.length === 0) {
      throw new LegacyTakeoverError(
        `table ${table} already has a column ${column.name}: it is not the legacy backend's`,
      );
    }
    expect(column.name, column.from);
  }
}
