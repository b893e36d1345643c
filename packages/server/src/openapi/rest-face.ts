import { z } from 'zod';
import type { Caller, LegacyRoute } from '../legacy/route.ts';
import { baseOf } from '../validation.ts';
import { listProcedures, objectSchemaOf, type ProcedureInfo } from './procedures.ts';

/**
 * JSON has no dates and a query string has only text: turns each top-level field into what its schema
 * takes (ISO text → Date for date fields; digits → number, true/false → boolean from a query string).
 * Whatever does not fit is passed on as it came, for the procedure's schema to refuse in its own words.
 */
function coerceFields(
  input: Record<string, unknown>,
  shape: Record<string, z.ZodType>,
  fromQuery: boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const [key, value] of Object.entries(input)) {
    const field = shape[key];
    if (!field || typeof value !== 'string') continue;
    const base = baseOf(field);
    if (base instanceof z.ZodDate) {
      const date = new Date(value);
      if (!Number.isNaN(date.getTime())) out[key] = date;
    } else if (fromQuery && base instanceof z.ZodNumber && /^-?\d+(\.\d+)?$/.test(value)) {
      out[key] = Number(value);
    } else if (fromQuery && base instanceof z.ZodBoolean && (value === 'true' || value === 'false')) {
      out[key] = value === 'true';
    }
  }
  return out;
}

function invoke(call: Caller, path: string, input: unknown): Promise<unknown> {
  let target: unknown = call;
  for (const key of path.split('.')) target = (target as Record<string, unknown>)[key];
  return (target as (input: unknown) => Promise<unknown>)(input);
}

export const REST_PREFIX = '/api';

/** `/api/predicts/byId` for `predicts.byId`: the URL every procedure declares (openapi/procedures.ts). */
export const restPathOf = (procedure: string) => `${REST_PREFIX}/${procedure.replaceAll('.', '/')}`;

function restRoute(procedure: ProcedureInfo): LegacyRoute {
  const object = objectSchemaOf(procedure.input);
  const shape = (object?.shape ?? {}) as Record<string, z.ZodType>;
  const isQuery = procedure.rest.method === 'GET';
  const [router = ''] = procedure.path.split('.');
  return {
    method: procedure.rest.method,
    path: `${REST_PREFIX}${procedure.rest.path}`,
    tag: `api: ${router}`,
    summary: `tRPC ${procedure.type} ${procedure.path}`,
    description: isQuery
      ? 'Input as query parameters (numbers and dates as text). Same rules and answer as the tRPC procedure, in plain JSON (dates as ISO 8601).'
      : 'Input as a JSON body. Same rules and answer as the tRPC procedure, in plain JSON (dates as ISO 8601).',
    procedures: [procedure.path],
    access: procedure.access,
    ...(isQuery && object ? { query: object } : {}),
    ...(!isQuery && procedure.input ? { body: (object ?? procedure.input) as z.ZodObject } : {}),
    status: 200,
    answer: procedure.output,
    errors: 'api',
    async handle({ call, query, body }) {
      const raw = isQuery ? query : body;
      // No input at all lets the procedure's `.default()` apply, as tRPC does.
      const input =
        procedure.input && Object.keys(raw).length > 0 ? coerceFields(raw, shape, isQuery) : undefined;
      return invoke(call, procedure.path, input);
    },
  };
}

/** A plain-JSON REST route for every tRPC query (GET) and mutation (POST). */
export function procedureRoutes(): LegacyRoute[] {
  return listProcedures().map(restRoute);
}
