import { hash, verify } from '@node-rs/bcrypt';
import { z } from 'zod';
import { withCode } from '../domain/input-errors.ts';
import { hasControlCharacter } from '../validation.ts';

/** bcrypt ignores bytes past 72, so longer passwords are refused instead of silently truncated. */
export const MAX_PASSWORD_BYTES = 72;
export const MIN_PASSWORD_BYTES = 8;

export const passwordSchema = z
  .string({ message: 'must be a string' })
  // a cheap bound before counting bytes
  .refine((pw) => pw.length <= 1000, {
    ...withCode('TOO_MANY_BYTES', { max: MAX_PASSWORD_BYTES }),
    abort: true,
  })
  .refine((pw) => !hasControlCharacter(pw, false), withCode('CONTROL_CHARACTERS'))
  .refine(
    (pw) => Buffer.byteLength(pw, 'utf8') >= MIN_PASSWORD_BYTES,
    withCode('TOO_FEW_BYTES', { min: MIN_PASSWORD_BYTES }),
  )
  .refine((pw) => Buffer.byteLength(pw, 'utf8') <= MAX_PASSWORD_BYTES, {
    ...withCode('TOO_MANY_BYTES', { max: MAX_PASSWORD_BYTES }),
    message: `must be at most ${MAX_PASSWORD_BYTES} bytes (bcrypt ignores the rest)`,
  });

export function hashPassword(password: string, cost: number): Promise<string> {
  return hash(password, cost);
}

/** Verifies $2a$, $2b$ and $2y$ hashes (including the legacy Python backend's); never throws. */
export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  try {
    return await verify(password, passwordHash);
  } catch {
    return false;
  }
}

export const hashCost = (passwordHash: string): number | null => {
  const match = /^\$2[abxy]\$(\d{2})\$/.exec(passwordHash);
  return match?.[1] ? Number(match[1]) : null;
};
