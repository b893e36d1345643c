import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { deleteUser, loginUser, logoutSession, registerUser, updateUser } from '../auth/accounts.ts';
import { passwordSchema } from '../auth/password.ts';
import { getUserById, getUserByUsername, listUsers } from '../db/queries/users.ts';
import { adminProcedure, authedProcedure, publicProcedure, router } from '../trpc.ts';
import {
  idSchema,
  pageSchema,
  searchSchema,
  textSchema,
  usernameLookupSchema,
  usernameSchema,
} from '../validation.ts';

const credentials = z.strictObject({ username: usernameSchema, password: passwordSchema });

export const usersRouter = router({
  register: publicProcedure
    .input(credentials)
    .mutation(({ ctx, input }) => registerUser(ctx.db, input, ctx.config.bcryptCost)),

  login: publicProcedure
    .input(
      // Login accepts any stored username shape (legacy rows) but stays bounded.
      z.strictObject({
        username: usernameLookupSchema,
        password: textSchema({ min: 1, max: 1000, trim: false, maxMessage: 'is too long' }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const result = await loginUser(ctx.db, input, ctx.config.bcryptCost);
      if (result.kind === 'locked') {
        const minutes = Math.max(1, Math.ceil((result.until.getTime() - Date.now()) / 60_000));
        throw new TRPCError({
          code: 'TOO_MANY_REQUESTS',
          message: `Too many failed attempts; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
        });
      }
      if (result.kind === 'invalid') {
        throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Wrong username or password' });
      }
      ctx.cookies.setSession(result.token, result.expiresAt);
      return { token: result.token, expiresAt: result.expiresAt, user: result.user };
    }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    await logoutSession(ctx.db, ctx.session.id, ctx.user);
    ctx.cookies.clearSession();
    return { ok: true as const };
  }),

  me: authedProcedure.query(async ({ ctx }) => {
    const user = await getUserById(ctx.db, ctx.user.id);
    if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
    return user;
  }),

  list: adminProcedure
    .input(z.strictObject({ ...pageSchema, search: searchSchema.optional() }).default({ limit: 50 }))
    .query(({ ctx, input }) => listUsers(ctx.db, input)),

  byId: authedProcedure.input(z.strictObject({ id: idSchema })).query(async ({ ctx, input }) => {
    if (ctx.user.role !== 'admin' && ctx.user.id !== input.id) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'You can only see your own account' });
    }
    const user = await getUserById(ctx.db, input.id);
    if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: `User ${input.id} not found` });
    return user;
  }),

  byUsername: authedProcedure
    .input(z.strictObject({ username: usernameLookupSchema }))
    .query(async ({ ctx, input }) => {
      const self = ctx.user.username.toLowerCase() === input.username.toLowerCase();
      if (ctx.user.role !== 'admin' && !self) {
        throw new TRPCError({ code: 'FORBIDDEN', message: 'You can only see your own account' });
      }
      const user = await getUserByUsername(ctx.db, input.username);
      if (!user) throw new TRPCError({ code: 'NOT_FOUND', message: `User "${input.username}" not found` });
      return user;
    }),

  update: authedProcedure
    .input(
      z.strictObject({
        id: idSchema,
        username: usernameSchema.optional(),
        password: passwordSchema.optional(),
        currentPassword: textSchema({ min: 1, max: 1000, trim: false }).optional(),
        role: z.enum(['user', 'admin']).optional(),
      }),
    )
    .mutation(({ ctx, input }) =>
      updateUser(ctx.db, { user: ctx.user, sessionId: ctx.session.id }, input, ctx.config.bcryptCost),
    ),

  delete: authedProcedure.input(z.strictObject({ id: idSchema })).mutation(async ({ ctx, input }) => {
    const deleted = await deleteUser(ctx.db, ctx.user, input.id);
    if (deleted.id === ctx.user.id) ctx.cookies.clearSession();
    return deleted;
  }),
});
