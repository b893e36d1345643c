import superjson, { type SuperJSONResult } from 'superjson';
import { DomainError } from './domain/errors.ts';

/** Thrown inside the fast walk when a value needs superjson's full treatment. */
const FULL = Symbol('needs superjson');

type Values = Record<string, [string]>;

/** superjson's path segment escaping (pathstringifier.escapeKey). */
const escapeKey = (key: string) =>
  key.includes('.') || key.includes('\\') ? key.replace(/\\/g, '\\\\').replace(/\./g, '\\.') : key;

/**
 * superjson's path of a value: its parent's path (null at the root; an empty string is a valid key, so it
 * cannot mark the root) and its own escaped key. Only containers and annotated leaves need it, so leaves
 * (most of the values) never build one.
 */
const pathOf = (parent: string | null, key: string | null) =>
  key === null ? null : parent === null ? key : `${parent}.${key}`;

function walk(
  value: unknown,
  parent: string | null,
  key: string | null,
  values: Values,
  seen: Set<object>,
): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // NaN, ±Infinity and -0 get superjson annotations (and NaN even an identity): leave them to it
      if (Number.isFinite(value) && !Object.is(value, -0)) return value;
      throw FULL;
    case 'undefined': {
      const path = pathOf(parent, key);
      if (path === null) throw FULL;
      values[path] = ['undefined'];
      return null;
    }
    case 'object': {
      if (value === null) return null;
      // superjson tracks every object's identity and annotates repeats (referential equality)
      if (seen.has(value)) throw FULL;
      seen.add(value);
      const path = pathOf(parent, key);
      if (value instanceof Date) {
        if (path === null || Number.isNaN(value.getTime())) throw FULL;
        values[path] = ['Date'];
        return value.toISOString();
      }
      if (Array.isArray(value)) {
        const out = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) throw FULL; // holes: superjson skips them
          out[i] = walk(value[i], path, String(i), values, seen);
        }
        return out;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw FULL; // Map, Set, Error, class instances…
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(value)) {
        // superjson refuses these (prototype pollution); let it throw its own error
        if (k === '__proto__' || k === 'constructor' || k === 'prototype') throw FULL;
        out[k] = walk((value as Record<string, unknown>)[k], path, escapeKey(k), values, seen);
      }
      return out;
    }
    default:
      throw FULL; // bigint, symbol, function
  }
}

/**
 * `superjson.serialize` with a fast path. Procedure outputs are JSON-like data with Dates (rows from the
 * database), which this walk serializes several times faster than superjson's general walker
 * (docs/benchmarks.md, Predictions API). The result is exactly what superjson produces, so clients
 * deserialize it with superjson itself; any value outside the fast path's scope (Map, Set, BigInt, NaN,
 * -0, class instances, repeated references, a Date or undefined at the root) goes to superjson whole.
 */
export function serializeOutput(value: unknown): SuperJSONResult {
  const values: Values = {};
  const seen = new Set<object>();
  let json: unknown;
  try {
    json = walk(value, null, null, values, seen);
  } catch (error) {
    if (error === FULL) return superjson.serialize(value);
    throw error;
  }
  for (const _ in values) {
    return { json: json as SuperJSONResult['json'], meta: { values: values as never, v: 1 } };
  }
  return { json: json as SuperJSONResult['json'] };
}

/** Annotations a client may put on an input value, with the JSON each one stands for. */
const inputAnnotations: Record<string, (json: unknown, present: boolean) => boolean> = {
  undefined: (json, present) => !present || json === null,
  Date: (json) => typeof json === 'string',
  number: (json) => json === 'NaN' || json === 'Infinity' || json === '-Infinity' || json === '-0',
};

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A superjson path (escaped dots from format v1 on, plain dots before), or null when it is not one. */
function parseSuperjsonPath(path: string, version: number): string[] | null {
  if (version < 1) return path.split('.');
  const segments: string[] = [];
  let segment = '';
  for (let i = 0; i < path.length; i++) {
    const char = path[i];
    if (char === '\\') {
      const next = path[i + 1];
      if (next !== '\\' && next !== '.') return null;
      segment += next;
      i++;
    } else if (char === '.') {
      segments.push(segment);
      segment = '';
    } else {
      segment += char;
    }
  }
  segments.push(segment);
  return segments;
}

/** The value at `segments` of `json`: `present` false when its parent exists but it does not; null when the parent is missing. */
function lookUp(json: unknown, segments: string[]): { value: unknown; present: boolean } | null {
  let current = json;
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i] as string;
    if (UNSAFE_KEYS.has(key)) return null;
    const last = i === segments.length - 1;
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d*)$/.test(key)) return null;
      const index = Number(key);
      if (index >= current.length) return last ? { value: undefined, present: false } : null;
      current = current[index];
    } else if (isRecord(current)) {
      if (!Object.hasOwn(current, key)) return last ? { value: undefined, present: false } : null;
      current = current[key];
    } else {
      return null;
    }
  }
  return { value: current, present: true };
}

/**
 * Whether a client's superjson envelope is one this API reads: an object with the value in `json` and,
 * optionally, `meta` whose `values` annotate existing places of `json` with the types inputs use (Date,
 * undefined, non-finite numbers) and whose `referentialEqualities` name existing places. Anything else
 * (class, symbol or custom annotations, paths to nowhere, a bare `null`) is refused before superjson sees
 * it: its errors (a stack overflow on an unknown class, a destructuring TypeError on `null`) are internal
 * text, not an answer.
 */
function isReadableEnvelope(payload: unknown): payload is SuperJSONResult {
  if (!isRecord(payload)) return false;
  const { json, meta } = payload;
  if (meta === undefined) return true;
  if (!isRecord(meta)) return false;
  const version = meta.v ?? 0;
  if (typeof version !== 'number') return false;
  const { values, referentialEqualities } = meta;
  const annotationFits = (tree: unknown, at: { value: unknown; present: boolean } | null) => {
    if (!Array.isArray(tree) || tree.length !== 1 || typeof tree[0] !== 'string' || at === null) return false;
    const fits = Object.hasOwn(inputAnnotations, tree[0]) ? inputAnnotations[tree[0]] : undefined;
    return fits?.(at.value, at.present) === true;
  };
  if (values !== undefined) {
    if (Array.isArray(values)) {
      // the root value itself is annotated
      if (!annotationFits(values, { value: json, present: json !== undefined })) return false;
    } else if (isRecord(values)) {
      for (const [path, tree] of Object.entries(values)) {
        const segments = parseSuperjsonPath(path, version);
        if (!segments || !annotationFits(tree, lookUp(json, segments))) return false;
      }
    } else {
      return false;
    }
  }
  if (referentialEqualities !== undefined) {
    const pathsExist = (paths: unknown) =>
      Array.isArray(paths) &&
      paths.every((path) => {
        if (typeof path !== 'string') return false;
        const segments = parseSuperjsonPath(path, version);
        return segments !== null && lookUp(json, segments)?.present === true;
      });
    const recordExists = (record: unknown) =>
      isRecord(record) &&
      Object.entries(record).every(([path, paths]) => pathsExist([path]) && pathsExist(paths));
    const ok = Array.isArray(referentialEqualities)
      ? (referentialEqualities.length === 1 || referentialEqualities.length === 2) &&
        pathsExist(referentialEqualities[0]) &&
        (referentialEqualities.length === 1 || recordExists(referentialEqualities[1]))
      : recordExists(referentialEqualities);
    if (!ok) return false;
  }
  return true;
}

/**
 * Reads a client's input: no input stays undefined; a malformed envelope is the client's mistake,
 * answered 400 MALFORMED_REQUEST in this API's words.
 */
export function deserializeInput(payload: unknown): unknown {
  if (payload === undefined) return undefined;
  if (!isReadableEnvelope(payload)) throw new DomainError('MALFORMED_REQUEST');
  try {
    return superjson.deserialize(payload);
  } catch (error) {
    // a shape the checks above let through but superjson cannot read (e.g. JSON nested too deep)
    throw new DomainError('MALFORMED_REQUEST', {}, { cause: error });
  }
}

/** The tRPC transformer: superjson on the wire, with the fast serializer for outputs. */
export const transformer = {
  input: { serialize: (value: unknown) => superjson.serialize(value), deserialize: deserializeInput },
  output: {
    serialize: serializeOutput,
    deserialize: (payload: SuperJSONResult) => superjson.deserialize(payload),
  },
};
