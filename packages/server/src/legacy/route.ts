import { z } from 'zod';
import { fail, type Reason } from '../domain/errors.ts';
import type { createCaller } from '../router.ts';
import type { Services } from '../services.ts';
import type { Viewer } from '../usecases/viewer.ts';
import { idSchema } from '../validation.ts';
import type { Entity } from './failures.ts';
import type { Language } from './language.ts';

export type Caller = ReturnType<typeof createCaller>;
export type Text = { pt: string; en: string };

/** How a route words its failures, as the legacy backend did per route. */
export type ErrorStyle =
  /** `{"error": "…"}` (most routes) */
  | 'error'
  /** `{"error": true, "message": "…"}` (the delete routes) */
  | 'flag'
  /** `{"status": "error", "message": "…"}` (POST /predicts/predict/{modelo}) */
  | 'status'
  /** `{"error": "…", "reason", "params", "fields"}` (the /api face of the procedures) */
  | 'api';

export type RouteInput = {
  /** the tRPC router, acting as the bearer token's user (or anonymous): the /api face calls through it */
  call: Caller;
  /** what the use cases run on, and whom they act for (the bearer token's user, or anonymous) */
  services: Services;
  viewer: Viewer;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  /** the JSON body (an object; `{}` when there is none) */
  body: Record<string, unknown>;
  language: Language;
  /** sets a response header (e.g. `X-Next-Cursor`) */
  setHeader(name: string, value: string): void;
};

/**
 * One legacy route: how it is served and how /openapi.json documents it. `handle` only translates
 * between the legacy shapes and the procedures; every rule (validation, ownership, roles) is the
 * procedure's.
 */
export type LegacyRoute = {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI form, with the legacy trailing slash where it had one: `/users/get_by_id/{id}` */
  path: string;
  /** the OpenAPI tag that groups it */
  tag: string;
  summary: string;
  description?: string;
  /** the procedures that answer it, for the docs */
  procedures: string[];
  access: 'anyone' | 'signed-in' | 'admin';
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodObject;
  status: 200 | 201;
  answer: z.ZodType;
  errors: ErrorStyle;
  /**
   * Refusals of the route itself, besides its procedures' (openapi/errors.ts) and those its access and
   * input imply: /openapi.json lists their statuses.
   */
  reasons?: Reason[];
  /** Error bodies by status where they differ from the `errors` style (listed in /openapi.json too). */
  errorAnswers?: Partial<Record<number, z.ZodType>>;
  entity?: Entity;
  /**
   * The route's wording for an error kind, until its procedure throws a reason the table knows (e.g.
   * the only UNAUTHORIZED of login is a wrong password).
   */
  byKind?: Partial<Record<string, Text>>;
  /** The legacy status of a reason where it differed from Ethcast's (register's taken name was 400). */
  statusByReason?: Partial<Record<string, number>>;
  /** A procedure input field → its name in the legacy request, where not its snake_case (`model` → `modelo`). */
  fieldNames?: Record<string, string>;
  handle(input: RouteInput): Promise<unknown>;
};

export const say = (language: Language, text: Text) => text[language];

/** The `message` of every answer. */
export const messageSchema = z
  .string()
  .meta({ description: 'Portuguese, or English with `?lang=en` or `X-Ethcast-Language: en`' });

/**
 * FastAPI's own error answers, which the legacy routes give as it did: 422 for invalid input (a list of
 * problems, `loc` = `body`/`path`/`query` then the field), and `{"detail": "Not Found"}` /
 * `{"detail": "Method Not Allowed"}` (with `Allow`) for an unknown path or another method.
 */
export const validationErrorSchema = z
  .object({
    detail: z.array(
      z.object({
        loc: z.array(z.union([z.string(), z.number().int()])).meta({ example: ['body', 'days'] }),
        msg: z.string().meta({ example: 'field required' }),
        type: z.string().meta({ description: "pydantic's error kind", example: 'value_error.missing' }),
        ctx: z
          .record(z.string(), z.unknown())
          .optional()
          .meta({ description: 'a JSON syntax error: where', example: { msg: 'Expecting value', pos: 12 } }),
      }),
    ),
  })
  .meta({ id: 'LegacyValidationError', description: 'Invalid input, as FastAPI answered it' });

/** A single row as the legacy backend sent it: a one-element list. */
export const oneRowOf = (row: z.ZodType) =>
  z.array(row).length(1).meta({ description: 'a one-element list, as the legacy backend sent its rows' });

/**
 * A path id as the procedure's input: digits become a number; anything else is passed as it came, so
 * the procedure's own id schema refuses it (422) with its own words.
 */
export function idParam(raw: string | undefined): number | string {
  return raw !== undefined && /^\d{1,20}$/.test(raw) ? Number(raw) : (raw ?? '');
}

/** Optional `?limit=&cursor=` of the list routes, passed as numbers when they are digits. */
export function numberParam(raw: string | undefined): number | string | undefined {
  if (raw === undefined || raw === '') return undefined;
  return /^\d{1,20}$/.test(raw) ? Number(raw) : raw;
}

/** The legacy lists returned every row; here at most `limit` (default and cap 1,000) from `cursor` on. */
export const LIST_LIMIT = 1000;
const PAGE = 100;

export const listQuerySchema = z.object({
  limit: z
    .number()
    .int('must be an integer')
    .min(1)
    .max(LIST_LIMIT)
    .optional()
    .meta({
      description: `rows to return (1–${LIST_LIMIT}, default ${LIST_LIMIT}); when more remain, the answer's \`X-Next-Cursor\` header holds the cursor of the next page`,
    }),
  cursor: idSchema.optional().meta({ description: 'the `X-Next-Cursor` of the previous page' }),
});

export type Page<T> = { items: T[]; nextCursor: number | null };

/** Follows a procedure's pages until `limit` rows; the cursor after them goes in `X-Next-Cursor`. */
export async function collectPages<T>(
  input: RouteInput,
  page: (args: { limit: number; cursor?: number }) => Promise<Page<T>>,
): Promise<T[]> {
  const { limit = LIST_LIMIT, cursor } = listQuerySchema.parse({
    limit: numberParam(input.query.limit),
    cursor: numberParam(input.query.cursor),
  });
  const items: T[] = [];
  let next: number | null | undefined = cursor;
  while (items.length < limit) {
    const result = await page({
      limit: Math.min(PAGE, limit - items.length),
      ...(next !== undefined && next !== null ? { cursor: next } : {}),
    });
    items.push(...result.items);
    next = result.nextCursor;
    if (next === null) break;
  }
  if (next !== null && next !== undefined) input.setHeader('X-Next-Cursor', String(next));
  return items;
}

type RouteDocs = Pick<LegacyRoute, 'path' | 'tag' | 'summary' | 'description' | 'access' | 'entity'>;

/**
 * `GET …/list/`: the pages of a list procedure up to `?limit=`, as `{ message, [key]: rows }`; nothing
 * to list is 404, as the legacy backend answered.
 */
export function listRoute<T>(
  route: RouteDocs & {
    procedure: string;
    key: string;
    row: z.ZodType;
    toRow: (item: T) => unknown;
    text: Text;
    page: (input: RouteInput, args: { limit: number; cursor?: number }) => Promise<Page<T>>;
  },
): LegacyRoute {
  const { procedure, key, row, toRow, text, page, ...docs } = route;
  return {
    method: 'GET',
    ...docs,
    procedures: [procedure],
    // nothing to list
    reasons: ['NOT_FOUND'],
    query: listQuerySchema,
    status: 200,
    answer: z.object({ message: messageSchema, [key]: z.array(row) }),
    errors: 'error',
    async handle(input) {
      const rows = await collectPages(input, (args) => page(input, args));
      // the legacy lists answered 404 when there was nothing to list, and clients test for it
      if (rows.length === 0) fail('NOT_FOUND', { entity: key, id: '*' });
      return { message: say(input.language, text), [key]: rows.map(toRow) };
    },
  };
}

/** `DELETE …/delete/{id}`: answers `{ error: false, message }`, as the legacy delete routes did. */
export function deleteRoute(
  route: RouteDocs & {
    procedure: string;
    params: z.ZodObject;
    text: Text;
    remove: (input: RouteInput, id: number) => Promise<unknown>;
  },
): LegacyRoute {
  const { procedure, text, remove, ...docs } = route;
  return {
    method: 'DELETE',
    ...docs,
    procedures: [procedure],
    status: 200,
    answer: z.object({ error: z.literal(false), message: messageSchema }),
    errors: 'flag',
    async handle(input) {
      await remove(input, idParam(input.params.id) as number);
      return { error: false, message: say(input.language, text) };
    },
  };
}
