import { z } from 'zod';

/** Shared input pieces; every procedure input is a strict object, so unknown fields are refused. */
export const idSchema = z
  .number({ message: 'must be a number' })
  .int('must be an integer')
  .positive('must be positive')
  .max(Number.MAX_SAFE_INTEGER, 'is too large');

export const usernameSchema = z
  .string({ message: 'must be a string' })
  .trim()
  .min(3, 'must be at least 3 characters')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9_.-]+$/, 'may contain only letters, digits, "_", "." and "-"');

export const pageSchema = {
  cursor: idSchema.optional(),
  limit: z.number().int('must be an integer').min(1).max(100).default(50),
};

export const searchSchema = z.string().trim().max(100, 'must be at most 100 characters');
