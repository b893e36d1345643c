import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { serializeOutput } from './transformer.ts';

/** The fast serializer must produce exactly superjson's output, and round-trip through the wire. */
function expectSameAsSuperjson(value: unknown) {
  const fast = serializeOutput(value);
  expect(fast).toStrictEqual(superjson.serialize(value as never));
  const wire = JSON.parse(JSON.stringify(fast));
  expect(superjson.deserialize(wire)).toStrictEqual(
    superjson.deserialize(JSON.parse(superjson.stringify(value as never))),
  );
}

/** A small deterministic generator of JSON-like values with Dates, undefined and awkward keys. */
function* randomValues(seed: number, count: number) {
  let state = seed;
  const rand = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const keys = ['a', 'b.c', 'd\\e', '0', 'items', 'x.y.z', '', 'date', 'é'];
  const leaf = (): unknown => {
    const r = rand();
    if (r < 0.15) return new Date(Math.floor(rand() * 4e12));
    if (r < 0.25) return undefined;
    if (r < 0.35) return null;
    if (r < 0.5) return rand() * 1000 - 500;
    if (r < 0.6) return Math.floor(rand() * 10);
    if (r < 0.75) return `s${Math.floor(rand() * 100)}`;
    return rand() < 0.5;
  };
  const build = (depth: number): unknown => {
    if (depth === 0 || rand() < 0.3) return leaf();
    if (rand() < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => build(depth - 1));
    const out: Record<string, unknown> = {};
    for (let i = Math.floor(rand() * 4); i > 0; i--)
      out[keys[Math.floor(rand() * keys.length)] ?? 'k'] = build(depth - 1);
    return out;
  };
  for (let i = 0; i < count; i++) yield build(4);
}

describe('serializeOutput (fast superjson)', () => {
  it('matches superjson on a page of forecasts', () => {
    const page = {
      items: Array.from({ length: 50 }, (_, i) => ({
        id: 1000 - i,
        date: new Date(Date.UTC(2026, 2, 31, 12, i)),
        userId: 7,
        note: i % 3 ? null : `note ${i}`,
        points: [
          { day: '2026-04-01', value: 1800.5, lower80: 1700, upper80: 1900, lower95: 1650, upper95: 1950 },
        ],
        optional: i % 2 ? undefined : 'x',
      })),
      nextCursor: 950,
    };
    expectSameAsSuperjson(page);
    expect(serializeOutput(page).meta?.values).toHaveProperty(['items.0.date'], ['Date']);
  });

  it('matches superjson on plain values without annotations', () => {
    for (const value of [null, 0, 1.5, 'text', true, [], {}, [1, 'a', null], { a: { b: [1, 2] } }]) {
      expectSameAsSuperjson(value);
      expect(serializeOutput(value).meta).toBeUndefined();
    }
  });

  it('escapes dots and backslashes in keys as superjson does', () => {
    expectSameAsSuperjson({ 'a.b': new Date(0), 'c\\d': { 'e.f': undefined }, 'g\\.h': [new Date(1)] });
  });

  it('falls back to superjson for values outside the fast path', () => {
    const shared = { x: 1 };
    const cases: unknown[] = [
      new Date(5),
      undefined,
      { n: Number.NaN },
      { n: Number.POSITIVE_INFINITY, m: Number.NEGATIVE_INFINITY, z: -0 },
      { big: 10n },
      { map: new Map([['a', new Date(0)]]), set: new Set([1, 2]) },
      { error: new Error('boom') },
      { re: /x/g },
      { url: new URL('https://example.com/') },
      { a: shared, b: shared },
      { d: new Date(Number.NaN) },
      // biome-ignore lint/suspicious/noSparseArray: holes are the case under test
      { sparse: [1, , 3] },
      Object.assign(Object.create(null), { a: new Date(2) }),
    ];
    for (const value of cases) expectSameAsSuperjson(value);
  });

  it('throws like superjson on prototype-polluting keys', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}}');
    expect(() => superjson.serialize(value)).toThrow();
    expect(() => serializeOutput(value)).toThrow();
  });

  it('matches superjson on 2,000 random JSON-like values', () => {
    for (const value of randomValues(42, 2000)) expectSameAsSuperjson(value);
  });
});
