import { getInputOutputParsers, type OpenApiProcedure, type OpenApiProcedureRecord } from 'trpc-to-openapi';
import { z } from 'zod';
import { appRouter } from '../router.ts';
import type { Access, ProcedureMeta } from '../trpc.ts';

export type { Access };

export type ProcedureInfo = {
  /** dotted path, e.g. `predicts.create` */
  path: string;
  type: 'query' | 'mutation';
  /**
   * its plain-JSON REST route under /api: `GET /users/me` for the query `users.me` (a query is a GET, a
   * mutation a POST, the path its dotted path with slashes), or what its `openapi` meta declares
   */
  rest: { method: 'GET' | 'POST'; path: string };
  /** the procedure's own input schema, if it takes input */
  input: z.ZodType | undefined;
  /** the schema tRPC checks its answer with (`.output()`) */
  output: z.ZodType;
  /** who may call it: the meta its builder (publicProcedure, authedProcedure, adminProcedure) set */
  access: Access;
};

/**
 * The app router's procedures by dotted path, read from the router object itself: a built tRPC router
 * carries its record (nested routers as objects) besides `_def` and `createCaller`.
 */
function proceduresOf(record: object, prefix = ''): OpenApiProcedureRecord {
  const found: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === '_def' || key === 'createCaller') continue;
    const path = `${prefix}${key}`;
    if (typeof value === 'function') found[path] = value;
    else if (value && typeof value === 'object') Object.assign(found, proceduresOf(value, `${path}.`));
  }
  return found as OpenApiProcedureRecord;
}

let cache: ProcedureInfo[] | null = null;

/** The REST route a procedure's kind and dotted path give it: `GET /users/me` for the query `users.me`. */
function derivedRoute(path: string, type: 'query' | 'mutation'): ProcedureInfo['rest'] {
  return { method: type === 'query' ? 'GET' : 'POST', path: `/${path.replaceAll('.', '/')}` };
}

/**
 * Every query and mutation of the app router with what it declares: its REST route (derived from its
 * kind and path unless its meta declares one) and access level (meta), its input and output schemas. A
 * procedure that declares a route of the other method, no access level or no output schema is a bug,
 * refused here (at server start) rather than documented as "anything".
 */
export function listProcedures(): ProcedureInfo[] {
  if (cache) return cache;
  const found: ProcedureInfo[] = [];
  for (const [path, entry] of Object.entries(proceduresOf(appRouter))) {
    const procedure = entry as OpenApiProcedure;
    const { type, meta = {} } = procedure._def as {
      type: 'query' | 'mutation' | 'subscription';
      meta?: ProcedureMeta;
    };
    if (type === 'subscription') throw new Error(`${path}: a subscription has no REST route`);
    const rest = derivedRoute(path, type);
    const declared = meta.openapi;
    if (declared && declared.method !== rest.method) {
      throw new Error(`${path}: a ${type} is answered on ${rest.method}, not ${declared.method}`);
    }
    const { inputParser, outputParser, hasInputsDefined } = getInputOutputParsers(procedure);
    if (!meta.access) throw new Error(`${path}: no access level (start from a procedure of trpc.ts)`);
    if (!(outputParser instanceof z.ZodType)) throw new Error(`${path}: no .output() schema`);
    found.push({
      path,
      type,
      rest: declared ? { method: rest.method, path: declared.path } : rest,
      input: hasInputsDefined ? (inputParser as z.ZodType) : undefined,
      output: outputParser,
      access: meta.access,
    });
  }
  cache = found.sort((a, b) => a.path.localeCompare(b.path));
  return cache;
}

/** The object schema inside an input (through `.default()` and `.optional()`), or null. */
export function objectSchemaOf(schema: z.ZodType | undefined): z.ZodObject | null {
  let current: unknown = schema;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (current instanceof z.ZodObject) return current;
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable
    ) {
      current = current.unwrap();
      continue;
    }
    return null;
  }
  return null;
}
