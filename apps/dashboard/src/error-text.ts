import type { FieldIssue, Reason } from '@ethcast/server/errors';
import type { Vars } from './i18n.tsx';
import { en, type MessageKey } from './messages.ts';

/**
 * Server errors in the reader's language, by reason code and field code (never by parsing the
 * server's English). `error.<REASON>` in messages.ts translates a reason; `error.<REASON>.<entity>`
 * a reason about one kind of row (NOT_FOUND of a forecast, a user, a log row); `field.<CODE>` a field
 * rule. Unknown codes (a newer server) give null, and the caller shows the server's English.
 */
type Translate = (key: MessageKey, vars?: Vars) => string;
type Params = Record<string, string | number | boolean | null>;

const isKey = (key: string): key is MessageKey => Object.hasOwn(en, key);

const varsOf = (params: Params): Vars =>
  Object.fromEntries(
    Object.entries(params).map(([name, value]) => [
      name,
      typeof value === 'number' ? value : String(value ?? ''),
    ]),
  );

export function reasonText(t: Translate, reason: Reason | string, params: Params = {}): string | null {
  const specific = typeof params.entity === 'string' ? `error.${reason}.${params.entity}` : '';
  const key = isKey(specific) ? specific : `error.${reason}`;
  return isKey(key) ? t(key, varsOf(params)) : null;
}

export function fieldIssueText(t: Translate, issue: FieldIssue): string | null {
  const key = `field.${issue.code}`;
  return isKey(key) ? t(key, varsOf(issue.params)) : null;
}
