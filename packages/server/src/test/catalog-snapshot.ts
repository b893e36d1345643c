import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../db/client.ts';

/**
 * The definition of every table in `public` (columns with types, defaults, NOT NULL and identity
 * options; constraints; indexes; sequences), sorted by name so column order does not count.
 */
export async function schemaSnapshot(db: Executor, tables?: string[]): Promise<Record<string, unknown>> {
  const filter = tables
    ? sql`and c.relname in (${sql.join(
        tables.map((t) => sql`${t}`),
        sql`, `,
      )})`
    : sql``;
  const columns = await queryRows(
    db,
    sql`select c.relname as "table", a.attname as "column", format_type(a.atttypid, a.atttypmod) as "type",
          a.attnotnull as "notNull", a.attidentity::text as "identity", a.attgenerated::text as "generated",
          pg_get_expr(d.adbin, d.adrelid) as "default"
        from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where n.nspname = 'public' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped ${filter}
        order by 1, 2`,
  );
  const constraints = await queryRows(
    db,
    sql`select c.relname as "table", con.conname as "name", pg_get_constraintdef(con.oid) as "definition"
        from pg_constraint con join pg_class c on c.oid = con.conrelid join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' ${filter} order by 1, 2`,
  );
  const indexes = await queryRows(
    db,
    sql`select tablename as "table", indexname as "name", indexdef as "definition" from pg_indexes
        where schemaname = 'public' ${
          tables
            ? sql`and tablename in (${sql.join(
                tables.map((t) => sql`${t}`),
                sql`, `,
              )})`
            : sql``
        }
        order by 1, 2`,
  );
  const sequences = await queryRows(
    db,
    sql`select sequencename as "name", data_type::text as "type", start_value::text as "start", min_value::text as "min",
          max_value::text as "max", increment_by::text as "increment", cache_size::text as "cache", cycle
        from pg_sequences where schemaname = 'public' order by 1`,
  );
  return { columns, constraints, indexes, sequences };
}

/** Every row of every table in `public` and in `drizzle`, as text: "the database as it was". */
export async function dataSnapshot(db: Executor): Promise<Record<string, unknown[]>> {
  const tables = await queryRows<{ schema: string; name: string }>(
    db,
    sql`select n.nspname as "schema", c.relname as "name" from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname in ('public', 'drizzle') and c.relkind = 'r' order by 1, 2`,
  );
  const snapshot: Record<string, unknown[]> = {};
  for (const t of tables) {
    snapshot[`${t.schema}.${t.name}`] = await queryRows(
      db,
      sql.raw(`select row_to_json(r)::text as "row" from "${t.schema}"."${t.name}" r order by 1`),
    );
  }
  const sequences = await queryRows(
    db,
    sql`select sequencename as "name", last_value::text as "last" from pg_sequences where schemaname = 'public' order by 1`,
  );
  snapshot.sequences = sequences;
  return snapshot;
}
