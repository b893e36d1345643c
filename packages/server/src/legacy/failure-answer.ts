import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeErrorSummary } from '../errors.ts';
import { type Entity, type Failure, failureMessage, type InputIssue, retryAfterSeconds } from './failures.ts';
import { type Language, pickLanguage } from './language.ts';
import type { ErrorStyle, LegacyRoute } from './route.ts';

/** How a REST route words its failures (read back by the scope's error handler too). */
export type Wording = {
  errors: ErrorStyle;
  entity?: Entity | undefined;
  byKind?: LegacyRoute['byKind'];
  statusByReason?: LegacyRoute['statusByReason'];
};

export const failureOf = (status: number, reason: string, fields: Record<string, string> = {}): Failure => ({
  status,
  reason,
  params: {},
  fields,
  detail: null,
  internal: false,
  cause: null,
});

/** A FastAPI validation error entry: where (`body`/`path`/`query`, then the field), what, which kind. */
export type DetailEntry = {
  loc: (string | number)[];
  msg: string;
  type: string;
  ctx?: Record<string, unknown>;
};

export type LegacyFailure = Failure & { legacyDetail?: DetailEntry[] };

export const invalid = (detail: DetailEntry[]): LegacyFailure => ({
  ...failureOf(422, 'INVALID_INPUT'),
  fields: Object.fromEntries(detail.map((d) => [d.loc.slice(1).join('.') || d.loc[0], d.msg])),
  legacyDetail: detail,
});

export const isLegacy = (wording: Wording) => wording.errors !== 'api';

/** FastAPI's own answers: 404/405 `{"detail": "…"}` and 422 `{"detail": [{loc, msg, type}]}`. */
export function sendDetail(reply: FastifyReply, status: number, detail: unknown, reason: string) {
  return reply
    .code(status)
    .header('X-Error-Reason', reason)
    .header('Cache-Control', 'no-store')
    .send({ detail });
}

export function sendFailure(
  req: FastifyRequest,
  reply: FastifyReply,
  failure: LegacyFailure,
  wording: Wording,
  language: Language = pickLanguage(req),
  locate: (issue: InputIssue) => DetailEntry = genericEntry,
) {
  if (failure.internal) req.log.error({ err: safeErrorSummary(failure.cause) }, 'REST route failed');
  if (isLegacy(wording) && failure.status === 422) {
    const detail =
      failure.legacyDetail ??
      (failure.issues?.length
        ? failure.issues.map(locate)
        : [{ loc: ['body'], msg: failureMessage(failure, 'en'), type: 'value_error' }]);
    return sendDetail(reply, 422, detail, failure.reason);
  }
  const status = (isLegacy(wording) && wording.statusByReason?.[failure.reason]) || failure.status;
  const message = failureMessage(failure, language, wording.entity, wording.byKind);
  reply.code(status).header('X-Error-Reason', failure.reason).header('Cache-Control', 'no-store');
  reply.header('Content-Language', language === 'pt' ? 'pt-BR' : 'en');
  const retry = retryAfterSeconds(failure);
  if (retry) reply.header('Retry-After', String(retry));
  if (status === 401) reply.header('WWW-Authenticate', 'Bearer');
  if (wording.errors === 'flag') return reply.send({ error: true, message });
  if (wording.errors === 'status') return reply.send({ status: 'error', message });
  if (wording.errors === 'api') {
    return reply.send({
      error: message,
      reason: failure.reason,
      params: failure.params,
      fields: failure.fields,
    });
  }
  return reply.send({ error: message });
}

/** Fastify's own refusals (a body too large, …) in the route's words. */
export function fastifyFailure(error: { statusCode?: number; code?: string }): Failure {
  if (error.statusCode === 413) return failureOf(413, 'REQUEST_TOO_LARGE');
  if (error.statusCode === 415) return failureOf(415, 'UNSUPPORTED_MEDIA_TYPE');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return failureOf(400, 'MALFORMED_REQUEST');
  }
  return { ...failureOf(500, 'INTERNAL'), internal: true, cause: error };
}

/** pydantic's kind of error for a zod issue, so clients that switch on `type` keep working. */
export function pydanticType(issue: InputIssue, missing: boolean): string {
  if (missing) return 'value_error.missing';
  if (issue.code === 'invalid_type') {
    const expected = issue.expected ?? '';
    if (expected === 'number' || expected === 'int') return 'type_error.integer';
    if (expected === 'string') return 'type_error.str';
    if (expected === 'boolean') return 'type_error.bool';
    if (expected === 'object') return 'type_error.dict';
    return 'type_error';
  }
  if (issue.code === 'too_small')
    return issue.origin === 'string' ? 'value_error.any_str.min_length' : 'value_error.number.not_ge';
  if (issue.code === 'too_big')
    return issue.origin === 'string' ? 'value_error.any_str.max_length' : 'value_error.number.not_le';
  if (issue.code === 'unrecognized_keys') return 'value_error.extra';
  if (issue.code === 'invalid_value') return 'value_error.const';
  return 'value_error';
}

export function genericEntry(issue: InputIssue): DetailEntry {
  return {
    loc: ['body', ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    msg: issue.message,
    type: pydanticType(issue, false),
  };
}
