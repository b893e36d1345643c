import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { DomainError, type ErrorParams, type Reason, reasons, renderTemplate } from '../domain/errors.ts';
import type { Language } from './language.ts';

/**
 * The one table of REST failures: a domain reason (or, for errors not yet carrying one, its kind) →
 * the Portuguese sentence the legacy backend would have written and its English twin. The HTTP status
 * comes from the kind through tRPC's own code → status mapping (trpc.ts), except that invalid input is
 * 422, as FastAPI answered it. `{name}` is replaced by `params.name`.
 */
export type Text = { pt: string; en: string };
export type Entity = 'user' | 'log' | 'predict';

const notFoundOf: Record<Entity, Text> = {
  user: { pt: 'Nenhum usuário encontrado', en: 'No user found' },
  log: { pt: 'Nenhum log encontrado', en: 'No log found' },
  predict: { pt: 'Nenhuma predict encontrada', en: 'No predict found' },
};

const internal: Text = { pt: 'Erro interno do servidor', en: 'Internal server error' };

/**
 * By reason: the Portuguese sentence alone when the English one is the catalogue's (domain/errors.ts),
 * else both.
 */
const sentences: Record<string, string | Text> = {
  // the request itself
  INVALID_INPUT: 'Dados inválidos',
  MALFORMED_REQUEST: {
    pt: 'Não foi possível ler a requisição (JSON inválido?)',
    en: 'The request could not be read (invalid JSON?)',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    pt: 'Envie o corpo como JSON (Content-Type: application/json)',
    en: 'Send the body as JSON (Content-Type: application/json)',
  },
  NO_SUCH_PROCEDURE: { pt: 'Rota não encontrada', en: 'No such route' },
  NO_SUCH_ROUTE: { pt: 'Rota não encontrada', en: 'No such route' },
  METHOD_NOT_SUPPORTED: { pt: 'Método não suportado nesta rota', en: 'This route does not take that method' },
  REQUEST_TOO_LARGE: 'Requisição grande demais',
  RATE_LIMITED: 'Muitas requisições; tente novamente em {retryAfterSeconds} s',
  // who is asking
  CROSS_SITE_REQUEST: {
    pt: 'Recusado: uma mudança com sessão precisa vir deste site',
    en: 'Refused: a signed-in change must come from this site',
  },
  UNAUTHENTICATED: {
    pt: 'Faça login primeiro (envie Authorization: Bearer <token>)',
    en: 'Sign in first (send Authorization: Bearer <token>)',
  },
  ADMIN_ONLY: 'Apenas administradores',
  ADMIN_TOKEN_INVALID: { pt: 'Token de administrador inválido', en: 'Invalid admin token' },
  ADMIN_EXISTS: { pt: 'Já existe um administrador', en: 'An admin exists already' },
  PRICE_FILE_INVALID: { pt: 'Arquivo de preços recusado', en: 'Price file refused' },
  PRICE_SYNC_OFF: { pt: 'Sincronização de preços desligada', en: 'Price sync is off' },
  PRICE_SYNC_FAILED: { pt: 'A sincronização de preços falhou', en: 'Price sync failed' },
  WRONG_CREDENTIALS: 'Usuário ou senha inválidos',
  LOGIN_LOCKED: {
    pt: 'Muitas tentativas falhas; tente novamente em {minutes} min',
    en: 'Too many failed attempts; try again in {minutes} min',
  },
  LOGIN_BUSY: 'Outros logins desta conta estão sendo verificados; tente novamente em {retryAfterSeconds} s',
  SERVER_BUSY: 'O servidor está ocupado verificando outras senhas; tente novamente em {retryAfterSeconds} s',
  // rows (NOT_FOUND is worded per entity, see notFoundOf)
  NO_PRICES: 'Nenhum preço armazenado para {symbol}',
  // accounts
  USERNAME_TAKEN: 'Esse nome de usuário já existe',
  ROLE_CHANGE_ADMIN_ONLY: 'Apenas administradores mudam papéis',
  NOTHING_TO_CHANGE: {
    pt: 'Nada a mudar: envie username ou password',
    en: 'Nothing to change: give username or password',
  },
  CURRENT_PASSWORD_REQUIRED: {
    pt: 'Para mudar a própria senha, envie também current_password',
    en: 'To change your own password, send current_password too',
  },
  CURRENT_PASSWORD_WRONG: 'Senha atual incorreta',
  LAST_ADMIN_DEMOTION: 'O último administrador não pode deixar de ser administrador',
  LAST_ADMIN_DELETION: 'O último administrador não pode ser deletado',
  // forecasts
  UNKNOWN_MODEL: {
    pt: "Modelo '{model}' não encontrado. Disponíveis: {available}",
    en: "Unknown model '{model}'; available: {available}",
  },
  NO_MODELS_FOR_SYMBOL: "Nenhum modelo para o símbolo '{symbol}'",
  HORIZON_TOO_LONG: '{model} prevê no máximo {max} dias à frente; foram pedidos {asked}',
  HISTORY_TOO_SHORT:
    '{model} precisa de {needed} dias consecutivos de preços de {symbol}; há {stored} ({missing} faltando). Importe preços primeiro.',
  FORECASTS_BUSY: 'O servidor está ocupado com outras predicts; tente novamente em instantes',
  FORECAST_CONCURRENCY_LIMITED:
    'Você já tem {limit} {limit:previsão|previsões} em andamento; tente novamente em {retryAfterSeconds} s',
  FORECAST_RATE_LIMITED:
    'Previsões demais: no máximo {perMinute} por minuto (rajadas de {burst}); tente novamente em {retryAfterSeconds} s',
  FORECAST_DAILY_CAP:
    'Limite diário atingido: {limit} {limit:previsão|previsões} por dia; mais a partir de {resetsAt} (00:00 UTC)',
  FORECAST_IMMUTABLE: 'Uma predict armazenada é imutável: só a nota (note) pode mudar',
  // scheduled jobs (admins)
  UNKNOWN_JOB: 'Nenhuma tarefa chamada {job}',
  JOBS_DISABLED: 'As tarefas agendadas estão desligadas neste servidor (JOBS=off)',
  EXCHANGE_UNREACHABLE: 'A corretora não respondeu para {symbol}; nada foi gravado',
  EXCHANGE_REFUSED: 'A corretora recusou {symbol} (HTTP {status}); nada foi gravado',
  EXCHANGE_BAD_RESPONSE: 'A corretora enviou algo que não são candles para {symbol}; nada foi gravado',
  JOB_TIMED_OUT: 'Tempo esgotado após {seconds} s (o servidor parou no meio?) e não restam tentativas',
  JOB_FAILED: internal,
  // the server's own trouble
  DATABASE_UNAVAILABLE: 'Banco de dados indisponível; tente novamente em {retryAfterSeconds} s',
  NOT_READY: {
    pt: 'Serviço ainda não está pronto; tente novamente em instantes',
    en: 'Not ready yet; try again shortly',
  },
  MODEL_REGISTRY_UNAVAILABLE: internal,
  FORECAST_FAILED: internal,
  INTERNAL: internal,
};

export const legacyMessages: Record<string, Text> = Object.fromEntries(
  Object.entries(sentences).map(([reason, text]) => [
    reason,
    typeof text === 'string' ? { pt: text, en: reasons[reason as Reason].message } : text,
  ]),
);

/** For an error whose reason the table does not know: the sentence of its kind (tRPC code). */
const kindMessages: Record<string, Text> = {
  BAD_REQUEST: { pt: 'Requisição inválida', en: 'Bad request' },
  UNAUTHORIZED: { pt: 'Não autorizado', en: 'Unauthorized' },
  FORBIDDEN: { pt: 'Acesso negado', en: 'Forbidden' },
  NOT_FOUND: { pt: 'Não encontrado', en: 'Not found' },
  CONFLICT: { pt: 'Conflito com o estado atual', en: 'Conflicts with the current state' },
  PRECONDITION_FAILED: { pt: 'Pré-condição não atendida', en: 'Precondition failed' },
  PAYLOAD_TOO_LARGE: legacyMessages.REQUEST_TOO_LARGE as Text,
  UNPROCESSABLE_CONTENT: { pt: 'Não foi possível processar', en: 'Unprocessable content' },
  TOO_MANY_REQUESTS: {
    pt: 'Muitas requisições; tente novamente mais tarde',
    en: 'Too many requests; try again later',
  },
  SERVICE_UNAVAILABLE: {
    pt: 'Serviço indisponível; tente novamente em instantes',
    en: 'Service unavailable; try again shortly',
  },
  INTERNAL_SERVER_ERROR: internal,
};

export type Failure = {
  status: number;
  reason: string;
  params: ErrorParams;
  /** field → first problem, for invalid input */
  fields: Record<string, string>;
  /** every problem of invalid input, for FastAPI's `detail` list */
  issues?: InputIssue[];
  /** the procedure's own English sentence, for errors that carry no reason the table knows */
  detail: string | null;
  /** whether it is the server's fault (logged, never detailed to the client) */
  internal: boolean;
  /** what the server log may say about it (no SQL, no values) */
  cause: unknown;
};

/** One problem of an input, as zod found it (path within the procedure's input). */
export type InputIssue = {
  path: PropertyKey[];
  message: string;
  code: string;
  expected?: string;
  origin?: string;
};

const issuesOf = (error: ZodError): InputIssue[] =>
  error.issues.slice(0, 20).map((issue) => {
    const extra = issue as { expected?: unknown; origin?: unknown; keys?: unknown };
    return {
      path:
        issue.code === 'unrecognized_keys' && Array.isArray(extra.keys)
          ? [...issue.path, String(extra.keys[0])]
          : issue.path,
      message: issue.message,
      code: issue.code,
      ...(typeof extra.expected === 'string' ? { expected: extra.expected } : {}),
      ...(typeof extra.origin === 'string' ? { origin: extra.origin } : {}),
    };
  });

function fieldsOf(error: ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join('.') : '(body)';
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Classifies anything a procedure (through createCaller) or a REST handler threw. */
export function classify(error: unknown): Failure {
  if (error instanceof ZodError) {
    // a REST-level parameter (e.g. ?limit=) failed its schema
    return {
      status: 422,
      reason: 'INVALID_INPUT',
      params: {},
      fields: fieldsOf(error),
      issues: issuesOf(error),
      detail: null,
      internal: false,
      cause: error,
    };
  }
  const trpc =
    error instanceof TRPCError
      ? error
      : error instanceof DomainError
        ? new TRPCError({ code: kindToCode(error.kind), message: error.message, cause: error })
        : null;
  if (!trpc || trpc.code === 'INTERNAL_SERVER_ERROR') {
    return {
      status: 500,
      reason: 'INTERNAL',
      params: {},
      fields: {},
      detail: null,
      internal: true,
      cause: error,
    };
  }
  const base = { params: {}, fields: {}, detail: null, internal: false, cause: error };
  if (trpc.cause instanceof ZodError) {
    return {
      ...base,
      status: 422,
      reason: 'INVALID_INPUT',
      fields: fieldsOf(trpc.cause),
      issues: issuesOf(trpc.cause),
    };
  }
  const domain = trpc.cause instanceof DomainError ? trpc.cause : null;
  const reason = domain?.reason ?? trpc.code;
  return {
    ...base,
    status: reason === 'INVALID_INPUT' ? 422 : getHTTPStatusCodeFromError(trpc),
    reason,
    params: domain?.params ?? {},
    detail: domain ? null : trpc.message,
  };
}

/** Domain kinds are named after tRPC codes (trpc.ts maps each to itself). */
const kindToCode = (kind: string) => kind as TRPCError['code'];

/** The sentence for a failure, in the caller's language, worded for the route's entity. */
export function failureMessage(
  failure: Failure,
  language: Language,
  entity?: Entity,
  byKind: Partial<Record<string, Text>> = {},
): string {
  const known =
    (failure.reason === 'NOT_FOUND' && entity ? notFoundOf[entity] : undefined) ??
    legacyMessages[failure.reason] ??
    byKind[failure.reason];
  const text =
    known ??
    kindMessages[failure.reason] ??
    (failure.status >= 500 ? internal : kindMessages.BAD_REQUEST) ??
    internal;
  // An error without a known reason: its kind's sentence, with the procedure's own (English) detail.
  const sentence = known
    ? renderTemplate(known[language], failure.params)
    : language === 'en' && failure.detail
      ? failure.detail
      : failure.detail && failure.status < 500
        ? `${text.pt} (${failure.detail})`
        : renderTemplate(text[language], failure.params);
  const fields = Object.entries(failure.fields)
    .slice(0, 3)
    .map(([field, problem]) => `${field}: ${problem}`);
  return fields.length ? `${sentence}: ${fields.join('; ')}` : sentence;
}

/** Seconds a client should wait before retrying, when the failure says so. */
export function retryAfterSeconds(failure: Failure): number | null {
  const { retryAfterSeconds: seconds, minutes } = failure.params;
  if (typeof seconds === 'number' && seconds > 0) return Math.ceil(seconds);
  if (typeof minutes === 'number' && minutes > 0) return Math.ceil(minutes * 60);
  return null;
}
