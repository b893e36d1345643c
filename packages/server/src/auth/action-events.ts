import { actions } from '../domain/actions.ts';

/**
 * The audit log stores free text in the legacy style ("log 12 deleted"). Screens translate a row by
 * its event code and parameters instead of parsing English; this reads them back from the text the
 * builders in actions.ts write. Rows an admin has reworded, or written by older code, have no event.
 */
export type ActionEvent = { code: ActionCode; params: Record<string, string | number> };

type Reader<C extends string = string> = {
  code: C;
  pattern: RegExp;
  params: (match: RegExpExecArray) => Record<string, string | number>;
};

const exactly = <C extends string>(code: C, text: string): Reader<C> => ({
  code,
  pattern: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
  params: () => ({}),
});
const id = (m: RegExpExecArray) => ({ id: Number(m[1]) });
const prices = (m: RegExpExecArray) => ({
  symbols: m[1] ?? '',
  inserted: Number(m[2]),
  updated: Number(m[3]),
  // a row too long for its origin has none
  origin: m[4] ?? '…',
});

const readers = [
  exactly('register', actions.register),
  exactly('loginSuccess', actions.loginSuccess),
  exactly('loginFailed', actions.loginFailed),
  exactly('logout', actions.logout),
  exactly('adminCreated', actions.adminCreated),
  exactly('demoAdminCreated', actions.demoAdminCreated),
  exactly('adminGranted', actions.adminGranted),
  {
    code: 'legacyTakeover',
    pattern:
      /^legacy data taken over: (\d+) users, (\d+) logs, (\d+) forecasts(?: \((\d+) without their user\))?$/,
    params: (m) => ({
      users: Number(m[1]),
      logs: Number(m[2]),
      forecasts: Number(m[3]),
      detached: Number(m[4] ?? 0),
    }),
  },
  {
    code: 'userUpdated',
    pattern: /^user (\d+) updated: (.+)$/,
    params: (m) => ({ ...id(m), fields: m[2] ?? '' }),
  },
  {
    code: 'userDeleted',
    pattern: /^user (\d+) deleted \((.+)\)$/,
    params: (m) => ({ ...id(m), username: m[2] ?? '' }),
  },
  { code: 'logEdited', pattern: /^log (\d+) edited$/, params: id },
  { code: 'logDeleted', pattern: /^log (\d+) deleted$/, params: id },
  {
    code: 'predictSuccess',
    pattern: /^predict success with model (\S+)$/,
    params: (m) => ({ model: m[1] ?? '' }),
  },
  {
    code: 'predictFailed',
    pattern: /^predict failed with model (\S+)$/,
    params: (m) => ({ model: m[1] ?? '' }),
  },
  { code: 'predictUpdated', pattern: /^predict (\d+) note updated$/, params: id },
  { code: 'predictDeleted', pattern: /^predict (\d+) deleted$/, params: id },
  {
    code: 'jobRun',
    pattern: /^job ([a-z-]+) run by hand: (queued|running|succeeded|failed)$/,
    params: (m) => ({ job: m[1] ?? '', state: m[2] ?? '' }),
  },
  {
    code: 'pricesImported',
    pattern: /^prices imported for (.+?): (\d+) inserted, (\d+) updated(?: \((.+)\))?$/,
    params: prices,
  },
  {
    code: 'pricesSynced',
    pattern: /^prices synced for (.+?): (\d+) inserted, (\d+) updated(?: \((.+)\))?$/,
    params: prices,
  },
] as const satisfies readonly Reader[];

export type ActionCode = (typeof readers)[number]['code'];

/** Every event code, for the output schema of the log procedures (schemas/logs.ts). */
export const actionCodes = readers.map((reader) => reader.code) as [ActionCode, ...ActionCode[]];

export function actionEvent(action: string): ActionEvent | null {
  for (const reader of readers) {
    const match = reader.pattern.exec(action);
    if (match) return { code: reader.code, params: reader.params(match) };
  }
  return null;
}

/** A log row as screens get it: the stored text plus, when the text is one the server writes, its event. */
export function withEvent<T extends { action: string }>(row: T): T & { event: ActionEvent | null } {
  return { ...row, event: actionEvent(row.action) };
}
