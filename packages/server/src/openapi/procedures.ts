import { z } from 'zod';
import { appRouter } from '../router.ts';
import { adminProcedure, authedProcedure } from '../trpc.ts';

/** What tRPC keeps about a procedure: its kind, its input parsers (zod schemas here), its middlewares. */
type ProcedureDef = {
  type: 'query' | 'mutation' | 'subscription';
  inputs: unknown[];
  middlewares: unknown[];
};

export type Access = 'anyone' | 'signed-in' | 'admin';

const lastMiddleware = (builder: unknown) =>
  (builder as { _def: { middlewares: unknown[] } })._def.middlewares.at(-1);
/** The middlewares that make a procedure signed-in only and admin only (trpc.ts). */
const signedInGate = lastMiddleware(authedProcedure);
const adminGate = lastMiddleware(adminProcedure);

export type ProcedureInfo = {
  /** dotted path, e.g. `predicts.create` */
  path: string;
  type: 'query' | 'mutation';
  /** the procedure's own input schema, if it takes input */
  input: z.ZodType | undefined;
  /** who may call it: read from the procedure's own middlewares, not declared beside it */
  access: Access;
};

/** Every query and mutation of the app router, with the zod schema that validates its input. */
export function listProcedures(): ProcedureInfo[] {
  const records = appRouter._def.procedures as unknown as Record<string, { _def: ProcedureDef }>;
  const found: ProcedureInfo[] = [];
  for (const [path, procedure] of Object.entries(records)) {
    const { type, inputs, middlewares } = procedure._def;
    if (type === 'subscription') continue;
    const input = inputs.find((parser): parser is z.ZodType => parser instanceof z.ZodType);
    const access: Access = middlewares.includes(adminGate)
      ? 'admin'
      : middlewares.includes(signedInGate)
        ? 'signed-in'
        : 'anyone';
    found.push({ path, type, input, access });
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
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

/** A field schema of a procedure's input, so a REST body is documented by the very schema that checks it. */
export function inputField(path: string, field: string): z.ZodType {
  const procedure = listProcedures().find((p) => p.path === path);
  const shape = objectSchemaOf(procedure?.input)?.shape as Record<string, z.ZodType> | undefined;
  const schema = shape?.[field];
  if (!schema) throw new Error(`procedure ${path} has no input field ${field}`);
  return schema;
}
