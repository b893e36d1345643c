import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import type { Context } from './context.ts';
import { transformer } from './transformer.ts';

export type FieldErrors = Record<string, string[]>;

function inputErrorSummary(error: ZodError): {
  message: string;
  fieldErrors: FieldErrors;
  formErrors: string[];
} {
  const flat = z.flattenError(error);
  const fieldErrors: FieldErrors = {};
  for (const [key, messages] of Object.entries(flat.fieldErrors)) {
    if (Array.isArray(messages) && messages.length > 0) fieldErrors[key] = messages as string[];
  }
  const parts = [
    ...Object.entries(fieldErrors).map(([key, messages]) => `${key}: ${messages[0]}`),
    ...flat.formErrors,
  ];
  return {
    message: `Invalid input${parts.length ? `: ${parts.slice(0, 3).join('; ')}` : ''}`,
    fieldErrors,
    formErrors: flat.formErrors,
  };
}

const t = initTRPC.context<Context>().create({
  transformer,
  // Never send stack traces, whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? inputErrorSummary(error.cause) : null;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      code: shape.code,
      message: internal ? 'Internal server error' : (zod?.message ?? shape.message),
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        fieldErrors: zod?.fieldErrors ?? null,
        formErrors: zod?.formErrors ?? null,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const middleware = t.middleware;

export const publicProcedure = t.procedure;

/** Signed in: `ctx.session` and `ctx.user` are non-null from here on. */
export const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in first' });
  return next({ ctx: { session: ctx.session, user: ctx.session.user } });
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin') throw new TRPCError({ code: 'FORBIDDEN', message: 'Admins only' });
  return next();
});
