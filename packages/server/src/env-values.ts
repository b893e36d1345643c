import { isIP } from 'node:net';
import { z } from 'zod';

// The kinds of value env.ts reads, each with the one-line message a wrong value gets.

export const booleanString = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export function seconds(min: number, max: number) {
  return z.coerce
    .number({ message: 'must be a number of seconds' })
    .min(min, `must be at least ${min} seconds`)
    .max(max, `must be at most ${max} seconds`);
}

/** 'off' → null, else a number within bounds. */
export function offOrNumber(bounds: { min: number; max: number; integer: boolean }) {
  const message = `must be ${bounds.integer ? 'a whole number' : 'a number'} from ${bounds.min} to ${bounds.max}, or off`;
  return z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === 'off') return null;
      const n = Number(v);
      const ok =
        v !== '' &&
        Number.isFinite(n) &&
        n >= bounds.min &&
        n <= bounds.max &&
        (!bounds.integer || Number.isInteger(n));
      if (!ok) {
        ctx.addIssue({ code: 'custom', message });
        return z.NEVER;
      }
      return n;
    });
}

/** A whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number) {
  return z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(min).max(max);
}

export type TrustProxy = false | number | string[];

/** 'false' / '0' → false; '2' → 2 hops; '10.0.0.1, 10.1.0.0/16' → those addresses; else null. */
export function parseTrustProxy(value: string): TrustProxy | null {
  if (value === '' || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) return Number(value) <= 100 ? Number(value) : null;
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const valid = list.every((entry) => {
    const [address = '', prefix, extra] = entry.split('/');
    if (extra !== undefined) return false;
    const family = isIP(address);
    if (family === 0) return false;
    return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  });
  return list.length > 0 && valid ? list : null;
}
