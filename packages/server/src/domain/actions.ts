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
} as const;
