import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../client.ts';
import { quoteIdent } from './catalog.ts';
import type { LegacyTable } from './legacy-shape.ts';
import {
  BCRYPT_HASH_PATTERN,
  type Checked,
  type ConvertedPoint,
  checkLegacyDate,
  checkText,
  convertLegacyPoints,
} from './legacy-values.ts';
import { type RowProblem, showValue } from './takeover-error.ts';

/** The converted forecast points of every predict row, by id (as text). */
export type ScanResult = { problems: RowProblem[]; points: Map<string, ConvertedPoint[] | null> };

type Row = Record<string, string | null>;

/**
 * Reads every legacy row (as text, so no driver parses anything) and checks each value the takeover
 * converts. Runs before any change, so a bad row stops the takeover with the database untouched.
 */
export async function scanLegacyRows(
  db: Executor,
  tables: Set<LegacyTable>,
  dateTypes: Partial<Record<LegacyTable, string>>,
): Promise<ScanResult> {
  const problems: RowProblem[] = [];
  const points = new Map<string, ConvertedPoint[] | null>();
  const report = (table: string, row: Row, column: string, result: Checked<unknown>, hidden = false) => {
    if (result.ok) return;
    const shown = hidden ? '(value withheld)' : showValue(row[column] ?? null);
    problems.push({ table, id: row.id ?? null, column, shown, problem: result.problem });
  };
  /** A text column of at most 100 characters, as the legacy schema's varchar(100). */
  const reportText = (table: string, row: Row, column: string, required: boolean) =>
    report(table, row, column, checkText(row[column] ?? null, { required, maxLength: 100 }));

  if (tables.has('users')) {
    const rows = await textRows(db, 'users', ['id', 'username', 'password']);
    checkIds('users', rows, problems);
    const byLowerName = new Map<string, string | null>();
    for (const row of rows) {
      const username = checkText(row.username ?? null, { required: true, maxLength: 100 });
      report('users', row, 'username', username);
      if (username.ok && username.value !== null) {
        const key = username.value.toLowerCase();
        const other = byLowerName.get(key);
        if (other !== undefined) {
          report('users', row, 'username', {
            ok: false,
            problem: `is the same name as user id ${other} (usernames are unique regardless of case)`,
          });
        } else byLowerName.set(key, row.id ?? null);
      }
      const password = row.password ?? null;
      report(
        'users',
        row,
        'password',
        password === null || password === ''
          ? { ok: false, problem: 'is empty' }
          : BCRYPT_HASH_PATTERN.test(password)
            ? { ok: true, value: password }
            : { ok: false, problem: 'is not a bcrypt hash' },
        true,
      );
    }
  }

  if (tables.has('logs')) {
    const rows = await textRows(db, 'logs', ['id', 'date', 'username_log', 'action']);
    checkIds('logs', rows, problems);
    for (const row of rows) {
      checkDate('logs', row, dateTypes.logs, report);
      reportText('logs', row, 'username_log', false);
      reportText('logs', row, 'action', true);
    }
  }

  if (tables.has('predict')) {
    const rows = await textRows(db, 'predict', [
      'id',
      'date',
      'username_predict',
      'model',
      'forecast_result',
    ]);
    checkIds('predict', rows, problems);
    for (const row of rows) {
      checkDate('predict', row, dateTypes.predict, report);
      reportText('predict', row, 'username_predict', false);
      reportText('predict', row, 'model', false);
      const converted = convertLegacyPoints(row.forecast_result ?? null);
      report('predict', row, 'forecast_result', converted);
      if (converted.ok && row.id) points.set(row.id, converted.value);
    }
  }
  return { problems, points };
}

function checkDate(
  table: string,
  row: Row,
  type: string | undefined,
  report: (table: string, row: Row, column: string, result: Checked<unknown>) => void,
) {
  const text = row.date ?? null;
  // timestamps are dates already; only a null one cannot be kept (Ethcast's date is NOT NULL)
  if (type === 'timestamp' || type === 'timestamptz') {
    report(
      table,
      row,
      'date',
      text === null ? { ok: false, problem: 'is empty' } : { ok: true, value: text },
    );
    return;
  }
  report(table, row, 'date', checkLegacyDate(text));
}

function checkIds(table: string, rows: Row[], problems: RowProblem[]) {
  const seen = new Set<string>();
  for (const row of rows) {
    const id = row.id ?? null;
    if (id === null) {
      problems.push({ table, id, column: 'id', shown: 'null', problem: 'is empty' });
    } else if (seen.has(id)) {
      problems.push({ table, id, column: 'id', shown: showValue(id), problem: 'is used by another row too' });
    } else seen.add(id);
  }
}

async function textRows(db: Executor, table: string, columns: string[]): Promise<Row[]> {
  const list = columns.map((c) => `${quoteIdent(c)}::text as ${quoteIdent(c)}`).join(', ');
  return queryRows<Row>(db, sql.raw(`select ${list} from public.${quoteIdent(table)} order by id`));
}
