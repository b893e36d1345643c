import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import type { Context } from './context.ts';
import { DomainError, type ErrorKind, type ErrorParams, type Reason } from './domain/errors.ts';
import { summariseInputError } from './domain/input-errors.ts';
import { FOREIGN_KEY_VIOLATION, isDatabaseUnavailable, pgErrorCode } from './errors.ts';
import { transformer } from './transformer.ts';
import { requireAdmin, requireUser, type Viewer } from './usecases/viewer.ts';

/** Each domain error kind maps once to a tRPC code; the HTTP status follows from it. */
const trpcCodeOf = {
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  CONFLICT: 'CONFLICT',
  PRECONDITION_FAILED: 'PRECONDITION_FAILED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNPROCESSABLE_CONTENT: 'UNPROCESSABLE_CONTENT',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const satisfies Record<ErrorKind, TRPCError['code']>;

/** Turns a DomainError thrown anywhere below a procedure into the TRPCError that carries it. */
export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: trpcCodeOf[error.kind], message: error.message, cause: error });
}

/** The longest `retryAfterSeconds` among the domain errors of a response (for its Retry-After header). */
export function retryAfterSecondsOf(errors: readonly TRPCError[]): number | null {
  let longest: number | null = null;
  for (const error of errors) {
    const seconds = domainCause(error)?.params.retryAfterSeconds;
    if (typeof seconds === 'number' && seconds > 0) longest = Math.max(longest ?? 0, Math.ceil(seconds));
  }
  return longest;
}

function domainCause(error: TRPCError): DomainError | null {
  return error.cause instanceof DomainError ? error.cause : null;
}

/** The reason of an error tRPC itself raised (bad JSON, unknown path, oversized body, ...). */
const reasonOfTrpcCode: Partial<Record<TRPCError['code'], Reason>> = {
  PARSE_ERROR: 'MALFORMED_REQUEST',
  BAD_REQUEST: 'MALFORMED_REQUEST',
  NOT_FOUND: 'NO_SUCH_PROCEDURE',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_SUPPORTED',
  PAYLOAD_TOO_LARGE: 'REQUEST_TOO_LARGE',
  UNAUTHORIZED: 'UNAUTHENTICATED',
  TOO_MANY_REQUESTS: 'RATE_LIMITED',
};

/** Who may call a procedure: set once by the builder it starts from (below), never beside it. */
export type Access = 'anyone' | 'signed-in' | 'admin';

/**
 * What a procedure says about itself: its access level (merged in from its builder) and, in
 * trpc-to-openapi's shape, the method and path of its plain-JSON REST route under /api
 * (openapi/rest-face.ts, openapi/procedures.ts).
 */
export type ProcedureMeta = OpenApiMeta<{ access?: Access }>;

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer,
    // Never send stack traces, whatever NODE_ENV says.
    isDev: false,
    errorFormatter({ shape, error }) {
      const zod = error.cause instanceof ZodError ? summariseInputError(error.cause) : null;
      const domain = domainCause(error);
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      // Every error carries a catalogued reason: the domain's own, INVALID_INPUT for schema failures,
      // tRPC's own failures by their code, INTERNAL for bugs (whatever the thrower said).
      const reason: Reason = internal
        ? 'INTERNAL'
        : (domain?.reason ?? (zod ? 'INVALID_INPUT' : (reasonOfTrpcCode[error.code] ?? 'MALFORMED_REQUEST')));
      const params: ErrorParams = (!internal && domain?.params) || {};
      return {
        code: shape.code,
        message: internal ? 'Internal server error' : (zod?.message ?? shape.message),
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          reason,
          params,
          fieldErrors: zod?.fieldErrors ?? null,
          formErrors: zod?.formErrors ?? null,
          fieldIssues: zod?.fieldIssues ?? null,
          formIssues: zod?.formIssues ?? null,
        },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Seconds a client should wait before retrying when the database is unreachable or restarting. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * The domain meaning of an error thrown below a procedure, if it has one besides a bug: a DomainError
 * itself; DATABASE_UNAVAILABLE when the database cannot be reached (503, retry); UNAUTHENTICATED when a
 * write hit a foreign key because the signed-in user was deleted while the request ran (401).
 */
export function domainErrorOf(error: unknown, signedIn: boolean): DomainError | null {
  if (error instanceof DomainError) return error;
  if (isDatabaseUnavailable(error)) {
    return new DomainError('DATABASE_UNAVAILABLE', { retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS });
  }
  if (signedIn && pgErrorCode(error) === FOREIGN_KEY_VIOLATION) return new DomainError('UNAUTHENTICATED');
  return null;
}

/** A DomainError thrown by a resolver or a service becomes the TRPCError of its kind. */
const domainErrors = t.middleware(async ({ ctx, next }) => {
  const result = await next();
  if (!result.ok) {
    const { cause, code } = result.error;
    // Only a DomainError or an unexpected failure is reinterpreted; a deliberate tRPC code stays.
    const domain =
      cause instanceof DomainError || code === 'INTERNAL_SERVER_ERROR'
        ? domainErrorOf(cause, ctx.session !== null)
        : null;
    if (domain) (result as { error: TRPCError }).error = toTRPCError(domain);
  }
  return result;
});

/** Counts and times every call per procedure for /metrics (metrics/server-metrics.ts). */
const requestMetrics = t.middleware(async ({ ctx, path, type, next }) => {
  const started = performance.now();
  const result = await next();
  const outcome = result.ok ? 'ok' : result.error.code;
  ctx.metrics?.request(path, type, outcome, (performance.now() - started) / 1000);
  return result;
});

export const publicProcedure = t.procedure.meta({ access: 'anyone' }).use(requestMetrics).use(domainErrors);

/**
 * Signed in: `ctx.session` and `ctx.user` are non-null from here on. Who is signed in is the viewer's
 * business (usecases/viewer.ts): the procedures ask it, as every other face does.
 */
export const authedProcedure = publicProcedure.meta({ access: 'signed-in' }).use(({ ctx, next }) => {
  const user = requireUser(ctx.viewer);
  const { session } = ctx.viewer as Extract<Viewer, { kind: 'user' }>;
  return next({ ctx: { session, user } });
});

export const adminProcedure = authedProcedure.meta({ access: 'admin' }).use(({ ctx, next }) => {
  requireAdmin(ctx.viewer);
  return next();
});
