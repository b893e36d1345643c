import { clip } from './text.ts';

/**
 * The audit log's wording, in one place: short, lower-case, at most 100 characters, in the style of
 * the legacy backend ("predict failed with model X").
 */
export const actions = {
  register: 'user registered',
  loginSuccess: 'login success',
  loginFailed: 'login failed',
  logout: 'logout',
  adminCreated: 'admin created from cli',
  demoAdminCreated: 'demo admin created',
  adminGranted: 'admin granted from cli',
  /** the one row a takeover of the legacy backend's tables writes (`detached`: rows whose user was gone) */
  legacyTakeover: (n: { users: number; logs: number; forecasts: number; detached: number }) =>
    clip(
      `legacy data taken over: ${n.users} users, ${n.logs} logs, ${n.forecasts} forecasts${
        n.detached ? ` (${n.detached} without their user)` : ''
      }`,
    ),
  userUpdated: (id: number, fields: string[]) => clip(`user ${id} updated: ${fields.join(', ')}`),
  userDeleted: (id: number, username: string) => clip(`user ${id} deleted (${username})`),
  logEdited: (id: number) => `log ${id} edited`,
  logDeleted: (id: number) => `log ${id} deleted`,
  predictSuccess: (model: string) => clip(`predict success with model ${model}`),
  predictFailed: (model: string) => clip(`predict failed with model ${model}`),
  predictUpdated: (id: number) => `predict ${id} note updated`,
  predictDeleted: (id: number) => `predict ${id} deleted`,
  jobRun: (job: string, state: string) => clip(`job ${job} run by hand: ${state}`),
  /** an import or a sync of prices: its symbols and row counts, then (if it fits) where they came from */
  pricesImported: (change: PriceChangeCounts) => pricesAction('imported', change),
  pricesSynced: (change: PriceChangeCounts) => pricesAction('synced', change),
} as const;

export type PriceChangeCounts = { symbols: string[]; inserted: number; updated: number; origin: string };

function pricesAction(verb: 'imported' | 'synced', change: PriceChangeCounts): string {
  const symbols =
    change.symbols.length <= 3
      ? change.symbols.join(', ')
      : `${change.symbols.slice(0, 2).join(', ')} and ${change.symbols.length - 2} more`;
  const head = `prices ${verb} for ${symbols}: ${change.inserted} inserted, ${change.updated} updated`;
  const full = `${head} (${change.origin})`;
  return full.length <= 100 ? full : clip(head);
}
