import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../client.ts';

/** What the takeover needs to know about one column of a table in `public`. */
export type ColumnInfo = {
  name: string;
  /** pg_type.typname: int4, int8, text, varchar, jsonb, bool, timestamptz, … */
  typeName: string;
  notNull: boolean;
  /** 'a' (always) / 'd' (by default) for identity columns, '' otherwise */
  identity: string;
  /** 's' for generated columns */
  generated: string;
  defaultExpr: string | null;
};

export type ConstraintInfo = {
  name: string;
  /** p, u, f, c, x */
  type: string;
  columns: string[];
  /** the referenced table of a foreign key */
  references: string | null;
};

export async function publicTables(db: Executor): Promise<Set<string>> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')`,
  );
  return new Set(rows.map((r) => r.name));
}

export async function tableColumns(db: Executor, table: string): Promise<ColumnInfo[]> {
  return queryRows<ColumnInfo>(
    db,
    sql`select a.attname as "name", t.typname as "typeName", a.attnotnull as "notNull",
          a.attidentity::text as "identity", a.attgenerated::text as "generated",
          pg_get_expr(d.adbin, d.adrelid) as "defaultExpr"
        from pg_attribute a
        join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        join pg_type t on t.oid = a.atttypid
        left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
        where n.nspname = 'public' and c.relname = ${table} and a.attnum > 0 and not a.attisdropped
        order by a.attnum`,
  );
}

export async function tableConstraints(db: Executor, table: string): Promise<ConstraintInfo[]> {
  const rows = await queryRows<{
    name: string;
    type: string;
    columns: string | null;
    references: string | null;
  }>(
    db,
    sql`select con.conname as "name", con.contype::text as "type",
          (select string_agg(a.attname, ',' order by k.ord) from unnest(con.conkey) with ordinality k(attnum, ord)
             join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.attnum) as "columns",
          ref.relname as "references"
        from pg_constraint con
        join pg_class c on c.oid = con.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        left join pg_class ref on ref.oid = con.confrelid
        where n.nspname = 'public' and c.relname = ${table}`,
  );
  return rows.map((r) => ({ ...r, columns: r.columns ? r.columns.split(',') : [] }));
}

/** The sequence a serial column owns (its default's), or null. */
export async function ownedSequence(db: Executor, table: string, column: string): Promise<string | null> {
  const rows = await queryRows<{ seq: string | null }>(
    db,
    sql`select pg_get_serial_sequence(${`public.${quoteIdent(table)}`}, ${column}) as "seq"`,
  );
  return rows[0]?.seq ?? null;
}

export async function relationExists(db: Executor, name: string): Promise<boolean> {
  const rows = await queryRows<{ n: number }>(
    db,
    sql`select count(*)::int as "n" from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relname = ${name}`,
  );
  return (rows[0]?.n ?? 0) > 0;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
