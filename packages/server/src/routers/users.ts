import { z } from 'zod';
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
import {
  bootstrapFirstAdmin,
  createAdmin,
  deleteAccount,
  getAccount,
  getAccountByUsername,
  getMe,
  listAccounts,
  register,
  updateAccount,
} from '../usecases/accounts.ts';
import { login, logout } from '../usecases/login.ts';
import { idSchema, pageSchema, searchSchema, usernameLookupSchema } from '../validation.ts';

export const usersRouter = router({
  register: publicProcedure
    .meta({ openapi: { method: 'POST', path: '/users/register' } })
    .input(credentials)
    .output(userOutput)
    .mutation(({ ctx, input }) => register(ctx, ctx.viewer, input)),

  /** Admins: create another admin (what `pnpm ethcast admin:create` calls while signed in as one). */
  createAdmin: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/users/createAdmin' } })
    .input(credentials)
    .output(userOutput)
    .mutation(({ ctx, input }) => createAdmin(ctx, ctx.viewer, input)),

  /**
   * The first admin of a fresh install, proven by the one-time token the server wrote to a file only
   * its OS user can read (auth/admin-token.ts). Refused once any admin exists.
   */
  bootstrapAdmin: publicProcedure
    .meta({ openapi: { method: 'POST', path: '/users/bootstrapAdmin' } })
    .input(credentials.extend({ token: z.string().min(1, 'is required').max(200, 'is too long') }))
    .output(userOutput)
    .mutation(({ ctx, input }) => bootstrapFirstAdmin(ctx, ctx.viewer, input)),

  login: publicProcedure
    .meta({ openapi: { method: 'POST', path: '/users/login' } })
    .input(loginInput)
    .output(loginOutput)
    .mutation(async ({ ctx, input }) => {
      const session = await login(ctx, ctx.viewer, input);
      ctx.cookies.setSession(session.token, session.expiresAt);
      return session;
    }),

  logout: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/users/logout' } })
    .output(logoutOutput)
    .mutation(async ({ ctx }) => {
      const done = await logout(ctx, ctx.viewer);
      ctx.cookies.clearSession();
      return done;
    }),

  me: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/users/me' } })
    .output(userOutput)
    .query(({ ctx }) => getMe(ctx, ctx.viewer)),

  list: adminProcedure
    .meta({ openapi: { method: 'GET', path: '/users/list' } })
    .input(z.strictObject({ ...pageSchema, search: searchSchema.optional() }).default({ limit: 50 }))
    .output(userPageOutput)
    .query(({ ctx, input }) => listAccounts(ctx, ctx.viewer, input)),

  byId: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/users/byId' } })
    .input(z.strictObject({ id: idSchema }))
    .output(userOutput)
    .query(({ ctx, input }) => getAccount(ctx, ctx.viewer, input)),

  byUsername: authedProcedure
    .meta({ openapi: { method: 'GET', path: '/users/byUsername' } })
    .input(z.strictObject({ username: usernameLookupSchema }))
    .output(userOutput)
    .query(({ ctx, input }) => getAccountByUsername(ctx, ctx.viewer, input)),

  update: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/users/update' } })
    .input(updateUserInput)
    .output(userOutput)
    .mutation(({ ctx, input }) => updateAccount(ctx, ctx.viewer, input)),

  delete: authedProcedure
    .meta({ openapi: { method: 'POST', path: '/users/delete' } })
    .input(z.strictObject({ id: idSchema }))
    .output(userOutput)
    .mutation(async ({ ctx, input }) => {
      const deleted = await deleteAccount(ctx, ctx.viewer, input);
      if (deleted.id === ctx.user.id) ctx.cookies.clearSession();
      return deleted;
    }),
});
