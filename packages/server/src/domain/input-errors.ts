import type { ZodError, z } from 'zod';
import { type ErrorParams, renderTemplate } from './errors.ts';

/**
 * Why one input field (or the whole input) was refused: a stable code and its params, so screens
 * translate field errors the way they translate reasons. The English templates are for developers; the
 * English a client gets in `fieldErrors` is the schema's own message (unchanged for old clients).
 * Schemas give their own rules a code with `params: { code: 'USERNAME_CHARACTERS' }` (see validation.ts).
 */
export const fieldCodes = {
  REQUIRED: 'is required',
  NOT_A_NUMBER: 'must be a number',
  NOT_AN_INTEGER: 'must be an integer',
  NOT_A_STRING: 'must be a string',
  NOT_A_DATE: 'must be a date',
  NOT_AN_OBJECT: 'must be an object',
  WRONG_TYPE: 'must be of type {expected}',
  TOO_SMALL: 'must be at least {min}',
  NOT_ABOVE: 'must be greater than {min}',
  TOO_BIG: 'must be at most {max}',
  TOO_SHORT: 'must be at least {min} characters',
  TOO_LONG: 'must be at most {max} characters',
  TOO_FEW_BYTES: 'must be at least {min} bytes',
  TOO_MANY_BYTES: 'must be at most {max} bytes',
  NOT_ONE_OF: 'must be one of {options}',
  UNKNOWN_KEYS: 'has unknown keys: {keys}',
  USERNAME_CHARACTERS: 'may contain only letters, digits, "_", "." and "-"',
  MODEL_NAME_FORMAT: 'must be a model name like "lstm"',
  SYMBOL_FORMAT: 'must look like ETH-USD (BASE-QUOTE, upper-case letters)',
  DAY_FORMAT: 'must be a day like 2024-01-31',
  NOT_A_CALENDAR_DAY: 'is not a real calendar day',
  FROM_AFTER_TO: 'must not be after "to"',
  CONTROL_CHARACTERS: 'must not contain control characters (such as a null byte)',
  INVALID: 'is invalid',
} as const;

export type FieldCode = keyof typeof fieldCodes;
export type FieldIssue = { code: FieldCode; params: ErrorParams };
export type FieldErrors = Record<string, string[]>;
export type FieldIssues = Record<string, FieldIssue[]>;

export type InputErrorSummary = {
  /** 'Invalid input: days: must be at most 365; …' */
  message: string;
  /** English messages per field, as the schemas word them */
  fieldErrors: FieldErrors;
  formErrors: string[];
  /** the same, as codes with params, for translation */
  fieldIssues: FieldIssues;
  formIssues: FieldIssue[];
};

const isFieldCode = (code: unknown): code is FieldCode => typeof code === 'string' && code in fieldCodes;

const typeCodes: Record<string, FieldCode> = {
  number: 'NOT_A_NUMBER',
  int: 'NOT_AN_INTEGER',
  string: 'NOT_A_STRING',
  date: 'NOT_A_DATE',
  object: 'NOT_AN_OBJECT',
};

/** The code of one zod issue, by its kind and numbers (never by its English message). */
export function fieldIssueOf(issue: z.core.$ZodIssue): FieldIssue {
  switch (issue.code) {
    case 'invalid_type':
      return typeCodes[issue.expected]
        ? { code: typeCodes[issue.expected] as FieldCode, params: {} }
        : { code: 'WRONG_TYPE', params: { expected: issue.expected } };
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') {
        return min <= 1 ? { code: 'REQUIRED', params: {} } : { code: 'TOO_SHORT', params: { min } };
      }
      return issue.inclusive === false
        ? { code: 'NOT_ABOVE', params: { min } }
        : { code: 'TOO_SMALL', params: { min } };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      return issue.origin === 'string'
        ? { code: 'TOO_LONG', params: { max } }
        : { code: 'TOO_BIG', params: { max } };
    }
    case 'invalid_value':
      return { code: 'NOT_ONE_OF', params: { options: issue.values.map(String).join(', ') } };
    case 'unrecognized_keys':
      return { code: 'UNKNOWN_KEYS', params: { keys: issue.keys.join(', ') } };
    case 'custom': {
      const { code, ...params } = (issue.params ?? {}) as Record<string, unknown>;
      if (!isFieldCode(code)) return { code: 'INVALID', params: {} };
      return { code, params: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, scalar(v)])) };
    }
    default:
      return { code: 'INVALID', params: {} };
  }
}

const scalar = (value: unknown) =>
  typeof value === 'number' || typeof value === 'boolean' || value === null ? value : String(value);

/** A custom zod issue's params carrying a field code, e.g. `.refine(ok, withCode('FROM_AFTER_TO'))`. */
export function withCode(code: FieldCode, params: ErrorParams = {}): { message: string; params: object } {
  return { message: renderTemplate(fieldCodes[code], params), params: { code, ...params } };
}

export function summariseInputError(error: ZodError): InputErrorSummary {
  const fieldErrors: FieldErrors = {};
  const fieldIssues: FieldIssues = {};
  const formErrors: string[] = [];
  const formIssues: FieldIssue[] = [];
  for (const issue of error.issues) {
    const key = issue.path[0];
    if (key === undefined) {
      formErrors.push(issue.message);
      formIssues.push(fieldIssueOf(issue));
    } else {
      const name = String(key);
      fieldErrors[name] = [...(fieldErrors[name] ?? []), issue.message];
      fieldIssues[name] = [...(fieldIssues[name] ?? []), fieldIssueOf(issue)];
    }
  }
  const parts = [
    ...Object.entries(fieldErrors).map(([key, messages]) => `${key}: ${messages[0]}`),
    ...formErrors,
  ];
  return {
    message: `Invalid input${parts.length ? `: ${parts.slice(0, 3).join('; ')}` : ''}`,
    fieldErrors,
    formErrors,
    fieldIssues,
    formIssues,
  };
}
