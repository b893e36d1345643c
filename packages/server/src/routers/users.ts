import { z } from 'zod';
import {
  deleteUser,
  limitRegistration,
  loginUser,
  logoutSession,
  registerUser,
  updateUser,
} from '../auth/accounts.ts';
import { bootstrapAdmin } from '../auth/admin-token.ts';
import { getUserById, getUserByUsername, listUsers } from '../db/queries/users.ts';
import { actions } from '../domain/actions.ts';
import { fail } from '../domain/errors.ts';
import {
  credentialsInput as credentials,
  loginInput,
  loginOutput,
  logoutOutput,
  updateUserInput,
  userOutput,
  userPageOutput,
} from '../schemas/users.ts';
import { adminProcedure, authedProcedure, publicProcedure, router } from '../trpc.ts';
import { idSchema, pageSchema, searchSchema, usernameLookupSchema } from '../validation.ts';

export const usersRouter = router({
  register: publicProcedure
    .meta({ openapi: { method: 'POST', path: '/users/register' } })
    .input(credentials)
    .output(userOutput)
    .mutation(async ({ ctx, input }) => {
      await limitRegistration(ctx.db, ctx.clientIp);
      return registerUser(ctx.db, input, ctx.passwords);
    }),

  /** Admins: create another admin (what `pnpm ethcast admin:create` calls while signed in as one). */
  createAdmin: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/users/createAdmin' } })
    .input(credentials)
    .output(userOutput)
    .mutation(({ ctx, input }) =>
      registerUser(ctx.db, { ...input, role: 'admin', action: actions.adminCreated }, ctx.passwords),
    ),

  /**
   * The first admin of a fresh install, proven by the one-time token the server wrote to a file only
   * its OS user can read (auth/admin-token.ts). Refused once any admin exists.
   */
  bootstrapAdmin: publicProcedure
    .meta({ openapi: { method: 'POST', path: '/users/bootstrapAdmin' } })
    .input(credentials.extend({ token: z.string().min(1, 'is required').max(200, 'is too long') }))
    .output(userOutput)
    .mutation(({ ctx, input }) => bootstrapAdmin(ctx, input)),

  login: publicProcedure
    .meta({ openapi: { method: 'POST', path: '/users/login' } })
    .input(loginInput)
    .output(loginOutput)
    .mutation(async ({ ctx, input }) => {
      const result = await loginUser(ctx.db, ctx.passwords, { ...input, clientIp: ctx.clientIp });
      if (result.kind === 'locked') {
        const minutes = Math.ceil(result.retryAfterSeconds / 60);
        fail('LOGIN_LOCKED', {
          minutes,
          retryAfterSeconds: result.retryAfterSeconds,
          scope: result.scope,
        });
      }
      if (result.kind === 'busy') fail('LOGIN_BUSY', { retryAfterSeconds: result.retryAfterSeconds });
      if (result.kind === 'invalid') fail('WRONG_CREDENTIALS');
      ctx.cookies.setSession(result.token, result.expiresAt);
      return { token: result.token, expiresAt: result.expiresAt, user: result.user };
    }),

  logout: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/users/logout' } })
    .output(logoutOutput)
    .mutation(async ({ ctx }) => {
      await logoutSession(ctx.db, ctx.session.id, ctx.user);
      ctx.sessions.forgetSession(ctx.session.id);
      ctx.cookies.clearSession();
      return { ok: true as const };
    }),

  me: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/users/me' } })
    .output(userOutput)
    .query(async ({ ctx }) => {
      const user = await getUserById(ctx.db, ctx.user.id, ctx.user);
      if (!user) fail('UNAUTHENTICATED');
      return user;
    }),

  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/users/list' } })
    .input(z.strictObject({ ...pageSchema, search: searchSchema.optional() }).default({ limit: 50 }))
    .output(userPageOutput)
    .query(({ ctx, input }) => listUsers(ctx.db, input)),

  byId: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/users/byId' } })
    .input(z.strictObject({ id: idSchema }))
    .output(userOutput)
    .query(async ({ ctx, input }) => {
      const user = await getUserById(ctx.db, input.id, ctx.user);
      if (!user) fail('NOT_FOUND', { entity: 'user', id: input.id });
      return user;
    }),

  byUsername: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/users/byUsername' } })
    .input(z.strictObject({ username: usernameLookupSchema }))
    .output(userOutput)
    .query(async ({ ctx, input }) => {
      const user = await getUserByUsername(ctx.db, input.username, ctx.user);
      if (!user) fail('NOT_FOUND', { entity: 'user', id: input.username });
      return user;
    }),

  update: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/users/update' } })
    .input(updateUserInput)
    .output(userOutput)
    .mutation(async ({ ctx, input }) => {
      const updated = await updateUser(
        ctx.db,
        { user: ctx.user, sessionId: ctx.session.id },
        input,
        ctx.passwords,
      );
      // name, role or password changed: cached sessions of this user must be looked up again
      ctx.sessions.forgetUser(input.id);
      return updated;
    }),

  delete: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/users/delete' } })
    .input(z.strictObject({ id: idSchema }))
    .output(userOutput)
    .mutation(async ({ ctx, input }) => {
      const deleted = await deleteUser(ctx.db, ctx.user, input.id);
      ctx.sessions.forgetUser(input.id);
      if (deleted.id === ctx.user.id) ctx.cookies.clearSession();
      return deleted;
    }),
});
