import type { PGlite } from '@electric-sql/pglite';
import type { Database } from '../db/client.ts';

/**
 * pg-boss's database interface (`executeSql(text, values)` answering `{ rows }`) over the embedded PGlite,
 * so the same queue runs in the single process. pg-boss sends its schema and migrations as one
 * multi-statement string without parameters: those go through `exec` (the simple protocol), every
 * parameterised statement through `query`.
 */
export function pgliteBossDb(db: Database): {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
} {
  const client = (db as unknown as { $client?: PGlite }).$client;
  if (!client || typeof client.exec !== 'function') {
    throw new Error('pgliteBossDb needs a PGlite database made by createDb');
  }
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) {
        const result = await client.query(text, values as unknown[]);
        return { rows: result.rows };
      }
      const results = await client.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}
