import { z } from 'zod';
import { withCode } from './domain/input-errors.ts';

/** Shared input pieces; every procedure input is a strict object, so unknown fields are refused. */
export const idSchema = z
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .positive('must be positive')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

/** The input of every procedure that names one row by its id. */
export const byIdInput = z.strictObject({ id: idSchema });

/**
 * C0 controls (NUL included: PostgreSQL refuses it in text, error 22021), DEL and C1 controls. Tab, line
 * feed and carriage return are allowed where text may span lines.
 */
export function hasControlCharacter(text: string, allowLineBreaks: boolean): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20) {
      if (allowLineBreaks && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
      return true;
    }
    if (c >= 0x7f && c <= 0x9f) return true;
  }
  return false;
}

/**
 * The one schema for text a client sends (names, searches, notes, log fields, passwords): bounded,
 * and free of control characters, which PostgreSQL refuses (NUL) or which nobody means to store.
 * `trim: false` keeps the text exactly as sent (passwords).
 */
export function textSchema(options: {
  max: number;
  min?: number;
  multiline?: boolean;
  trim?: boolean;
  maxMessage?: string;
}) {
  const base = z.string({ message: 'must be a string' });
  return (options.trim === false ? base : base.trim())
    .min(options.min ?? 0, options.min === 1 ? 'is required' : `must be at least ${options.min} characters`)
    .max(options.max, options.maxMessage ?? `must be at most ${options.max} characters`)
    .refine((text) => !hasControlCharacter(text, options.multiline === true), withCode('CONTROL_CHARACTERS'));
}

export const usernameSchema = z
  .string({ message: 'must be a string' })
  .trim()
  .min(3, 'must be at least 3 characters')
  .max(100, 'must be at most 100 characters')
  .refine((name) => /^[A-Za-z0-9_.-]+$/.test(name), withCode('USERNAME_CHARACTERS'));

/** Any stored username shape (legacy rows hold other characters) when looking one up. */
export const usernameLookupSchema = textSchema({ min: 1, max: 100 });

export const pageSchema = {
  cursor: idSchema.optional(),
  limit: z.number().int('must be an integer').min(1).max(100).default(50),
};

export const searchSchema = textSchema({ max: 100 });

/** One rule for every from/to pair (logs, prices): `from` may equal `to` but not come after it. */
export const fromNotAfterTo = <T extends string | Date>(range: {
  from?: T | undefined;
  to?: T | undefined;
}): boolean => range.from === undefined || range.to === undefined || range.from <= range.to;

/** The base of a field schema, through optional/nullable/default wrappers. */
export function baseOf(schema: z.ZodType): z.ZodType {
  let current: z.ZodType = schema;
  for (let depth = 0; depth < 5; depth++) {
    if (
      current instanceof z.ZodOptional ||
      current instanceof z.ZodNullable ||
      current instanceof z.ZodDefault
    ) {
      current = current.unwrap() as z.ZodType;
    } else break;
  }
  return current;
}
