import { z } from 'zod';
import { passwordSchema } from '../auth/password.ts';
import { idSchema, textSchema, usernameLookupSchema, usernameSchema } from '../validation.ts';

/** The input and output schemas of the users.* procedures (the legacy routes take their fields from here). */

export const credentialsInput = z.strictObject({ username: usernameSchema, password: passwordSchema });

/** Login accepts any stored username shape (legacy rows) but stays bounded. */
export const loginInput = z.strictObject({
  username: usernameLookupSchema,
  password: textSchema({ min: 1, max: 1000, trim: false, maxMessage: 'is too long' }),
});

export const updateUserInput = z.strictObject({
  id: idSchema,
  username: usernameSchema.optional(),
  password: passwordSchema.optional(),
  currentPassword: textSchema({ min: 1, max: 1000, trim: false }).optional(),
  role: z.enum(['user', 'admin']).optional(),
});

/** An account as every procedure answers it: never the password hash. */
export const userOutput = z
  .object({
    id: z.number().int(),
    username: z.string(),
    role: z.enum(['user', 'admin']),
    createdAt: z.date(),
  })
  .meta({ id: 'User' });

export const loginOutput = z.object({
  token: z.string().meta({ description: 'send as `Authorization: Bearer <token>`' }),
  expiresAt: z.date(),
  user: userOutput,
});

export const logoutOutput = z.object({ ok: z.literal(true) });

/** A keyset page: `nextCursor` is the `cursor` of the next page, null on the last. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.number().int().nullable() });

export const userPageOutput = pageOf(userOutput);
