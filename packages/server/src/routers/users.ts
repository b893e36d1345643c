import { z } from 'zod';
import { passwordSchema } from '../auth/password.ts';
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
  register: publicProcedure.input(credentials).mutation(({ ctx, input }) => register(ctx, ctx.viewer, input)),

  /** Admins: create another admin (what `pnpm ethcast admin:create` calls while signed in as one). */
  createAdmin: adminProcedure
    .input(credentials)
    .mutation(({ ctx, input }) => createAdmin(ctx, ctx.viewer, input)),

  /**
   * The first admin of a fresh install, proven by the one-time token the server wrote to a file only
   * its OS user can read (auth/admin-token.ts). Refused once any admin exists.
   */
  bootstrapAdmin: publicProcedure
    .input(credentials.extend({ token: z.string().min(1, 'is required').max(200, 'is too long') }))
    .mutation(({ ctx, input }) => bootstrapFirstAdmin(ctx, ctx.viewer, input)),

  login: publicProcedure
    .input(
      // Login accepts any stored username shape (legacy rows) but stays bounded.
      z.strictObject({
        username: usernameLookupSchema,
        password: textSchema({ min: 1, max: 1000, trim: false, maxMessage: 'is too long' }),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const session = await login(ctx, ctx.viewer, input);
      ctx.cookies.setSession(session.token, session.expiresAt);
      return session;
    }),

  logout: authedProcedure.mutation(async ({ ctx }) => {
    const done = await logout(ctx, ctx.viewer);
    ctx.cookies.clearSession();
    return done;
  }),

  me: authedProcedure.query(({ ctx }) => getMe(ctx, ctx.viewer)),

  list: adminProcedure
    .input(z.strictObject({ ...pageSchema, search: searchSchema.optional() }).default({ limit: 50 }))
    .query(({ ctx, input }) => listAccounts(ctx, ctx.viewer, input)),

  byId: authedProcedure
    .input(z.strictObject({ id: idSchema }))
    .query(({ ctx, input }) => getAccount(ctx, ctx.viewer, input)),

  byUsername: authedProcedure
    .input(z.strictObject({ username: usernameLookupSchema }))
    .query(({ ctx, input }) => getAccountByUsername(ctx, ctx.viewer, input)),

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
    .mutation(({ ctx, input }) => updateAccount(ctx, ctx.viewer, input)),

  delete: authedProcedure.input(z.strictObject({ id: idSchema })).mutation(async ({ ctx, input }) => {
    const deleted = await deleteAccount(ctx, ctx.viewer, input);
    if (deleted.id === ctx.user.id) ctx.cookies.clearSession();
    return deleted;
  }),
});
