import superjson, { type SuperJSONResult } from 'superjson';

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

/** The tRPC transformer: superjson on the wire, with the fast serializer for outputs. */
export const transformer = {
  input: superjson,
  output: {
    serialize: serializeOutput,
    deserialize: (payload: SuperJSONResult) => superjson.deserialize(payload),
  },
};
