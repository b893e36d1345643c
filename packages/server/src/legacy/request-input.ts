import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { baseOf } from '../validation.ts';
import { type DetailEntry, failureOf, invalid, type LegacyFailure, pydanticType } from './failure-answer.ts';
import type { InputIssue } from './failures.ts';
import type { LegacyRoute } from './route.ts';

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Where a procedure's input field lives in the legacy request (`['path', 'id']`, `['body', 'days']`):
 * the route's own names, with camelCase procedure fields written snake_case as the legacy bodies had them.
 */
export function locator(route: LegacyRoute, body: Record<string, unknown>) {
  const inParams = Object.keys(route.params?.shape ?? {});
  const inQuery = Object.keys(route.query?.shape ?? {});
  const aliases = route.fieldNames ?? {};
  return (issue: InputIssue): DetailEntry => {
    const [first, ...rest] = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const field = first === undefined ? undefined : (aliases[String(first)] ?? snake(String(first)));
    const where =
      field && inParams.includes(field) ? 'path' : field && inQuery.includes(field) ? 'query' : 'body';
    const missing = where === 'body' && field !== undefined && rest.length === 0 && body[field] === undefined;
    return {
      loc: field === undefined ? [where] : [where, field, ...rest],
      msg: missing ? 'field required' : issue.message,
      type: pydanticType(issue, missing),
    };
  };
}

const INTEGER = /^\s*[+-]?\d+\s*$/;
const TRUE = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE = new Set(['false', '0', 'no', 'off', 'f', 'n']);

/**
 * pydantic 1's lax coercion, as the legacy bodies were parsed: digits become an int field's number,
 * a number becomes a str field's text, `"true"`/`1`… a bool field's boolean. Anything else stays as it
 * came, for the procedure's schema to refuse.
 */
export function coerceBody(body: Record<string, unknown>, shape: Record<string, z.ZodType>) {
  const out = { ...body };
  for (const [key, value] of Object.entries(body)) {
    const field = shape[key];
    if (!field) continue;
    const base = baseOf(field);
    if (base instanceof z.ZodNumber) {
      if (typeof value === 'string' && INTEGER.test(value)) out[key] = Number(value);
      else if (typeof value === 'boolean') out[key] = Number(value);
    } else if (base instanceof z.ZodString) {
      if (typeof value === 'number' && Number.isFinite(value)) out[key] = String(value);
    } else if (base instanceof z.ZodBoolean) {
      const text =
        typeof value === 'string' ? value.trim().toLowerCase() : value === 1 ? '1' : value === 0 ? '0' : null;
      if (text !== null && TRUE.has(text)) out[key] = true;
      else if (text !== null && FALSE.has(text)) out[key] = false;
    }
  }
  return out;
}

/** A FastAPI-style body: JSON when the content type says so (or says nothing), else unreadable as a dict. */
export type Body = { ok: true; body: Record<string, unknown> } | { ok: false; failure: LegacyFailure };

const notADict: DetailEntry = { loc: ['body'], msg: 'value is not a valid dict', type: 'type_error.dict' };

export function readBody(req: FastifyRequest, legacy: boolean): Body {
  const raw = typeof req.body === 'string' ? req.body : '';
  if (raw.trim() === '') return { ok: true, body: {} };
  const contentType = req.headers['content-type'];
  const json = !contentType || /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType);
  if (!json) {
    return legacy
      ? { ok: false, failure: invalid([notADict]) }
      : { ok: false, failure: failureOf(415, 'UNSUPPORTED_MEDIA_TYPE') };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    if (!legacy) return { ok: false, failure: failureOf(400, 'MALFORMED_REQUEST') };
    const text = error instanceof Error ? error.message : 'invalid JSON';
    const pos = Math.min(Number(/position (\d+)/.exec(text)?.[1] ?? raw.length), raw.length);
    const before = raw.slice(0, pos).split('\n');
    // FastAPI echoed the whole body as `doc`; it may hold a password, so it stays empty here
    const ctx = { msg: text, doc: '', pos, lineno: before.length, colno: (before.at(-1)?.length ?? 0) + 1 };
    return {
      ok: false,
      failure: invalid([{ loc: ['body', pos], msg: text, type: 'value_error.jsondecode', ctx }]),
    };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return {
      ok: false,
      failure: legacy
        ? invalid([notADict])
        : failureOf(422, 'INVALID_INPUT', { '(body)': 'must be a JSON object' }),
    };
  }
  return { ok: true, body: parsed as Record<string, unknown> };
}

type Params =
  | { ok: true; params: Record<string, string>; absent: boolean }
  | { ok: false; failure: LegacyFailure };

/**
 * Integer path parameters as pydantic read them: any integer is valid (`-1` too, which cannot exist
 * and so is not found); anything else is 422 `type_error.integer`.
 */
export function readParams(route: LegacyRoute, raw: Record<string, string>): Params {
  const params = { ...raw };
  let absent = false;
  for (const [name, schema] of Object.entries(route.params?.shape ?? {})) {
    if (!(baseOf(schema as z.ZodType) instanceof z.ZodNumber)) continue;
    const value = params[name] ?? '';
    if (!INTEGER.test(value)) {
      return {
        ok: false,
        failure: invalid([
          { loc: ['path', name], msg: 'value is not a valid integer', type: 'type_error.integer' },
        ]),
      };
    }
    const id = Number(value);
    if (!Number.isSafeInteger(id) || id <= 0) absent = true;
    else params[name] = String(id);
  }
  return { ok: true, params, absent };
}
