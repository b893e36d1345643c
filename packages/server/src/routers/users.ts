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
import { byIdInput, pageSchema, searchSchema, usernameLookupSchema } from '../validation.ts';
import { useCase } from './use-case.ts';

const listInput = z.strictObject({ ...pageSchema, search: searchSchema.optional() }).default({ limit: 50 });
const byUsernameInput = z.strictObject({ username: usernameLookupSchema });

export const usersRouter = router({
  register: publicProcedure.input(credentials).output(userOutput).mutation(useCase(register)),

  /** Admins: create another admin (what `pnpm ethcast admin:create` calls while signed in as one). */
  createAdmin: adminProcedure.input(credentials).output(userOutput).mutation(useCase(createAdmin)),

  /**
   * The first admin of a fresh install, proven by the one-time token the server wrote to a file only
   * its OS user can read (auth/admin-token.ts). Refused once any admin exists.
   */
  bootstrapAdmin: publicProcedure
    .input(credentials.extend({ token: z.string().min(1, 'is required').max(200, 'is too long') }))
    .output(userOutput)
    .mutation(useCase(bootstrapFirstAdmin)),

  login: publicProcedure
    .input(loginInput)
    .output(loginOutput)
    .mutation(async ({ ctx, input }) => {
      const session = await login(ctx, ctx.viewer, input);
      ctx.cookies.setSession(session.token, session.expiresAt);
      return session;
    }),

  logout: authedProcedure.output(logoutOutput).mutation(async ({ ctx }) => {
    const done = await logout(ctx, ctx.viewer);
    ctx.cookies.clearSession();
    return done;
  }),

  me: authedProcedure.output(userOutput).query(useCase(getMe)),

  list: adminProcedure.input(listInput).output(userPageOutput).query(useCase(listAccounts)),

  byId: authedProcedure.input(byIdInput).output(userOutput).query(useCase(getAccount)),

  byUsername: authedProcedure.input(byUsernameInput).output(userOutput).query(useCase(getAccountByUsername)),

  update: authedProcedure.input(updateUserInput).output(userOutput).mutation(useCase(updateAccount)),

  delete: authedProcedure
    .input(byIdInput)
    .output(userOutput)
    .mutation(async ({ ctx, input }) => {
      const deleted = await deleteAccount(ctx, ctx.viewer, input);
      if (deleted.id === ctx.user.id) ctx.cookies.clearSession();
      return deleted;
    }),
});
