/**
 * Who may try a password, and when (README "Accounts and security"). Failures are counted per scope in
 * sliding windows. An attempt whose slot is reserved but not yet checked (pending) may still turn out a
 * failure, so no new slot is reserved while known failures plus pending attempts reach a limit: concurrent
 * attempts cannot get more guesses than the limit allows. Such an attempt waits for the pending outcomes
 * (`pendingWaitMs`) instead of being told it is locked out; it is locked out only when the known failures
 * alone reach a limit.
 *
 * - username + client address: 5 failures in 15 minutes, then that pair waits until the oldest of them
 *   is 15 minutes old. A burst from one client locks only that client out of that account.
 * - username, from every client together: beyond 50 failures in 15 minutes, clients the account has not
 *   signed in from (in the last 30 days) back off: 2^(n − 50) seconds after the latest failure, at most
 *   15 minutes. Clients it has signed in from are exempt, so an owner keeps signing in.
 * - client address, all usernames: 20 failures in 15 minutes (a password spray), then it waits.
 * - everyone: 300 failures in a minute, then clients unknown to the account they try wait.
 */
export const loginPolicy = {
  perPair: { failures: 5, windowMs: 15 * 60_000 },
  perAccount: { failures: 50, windowMs: 15 * 60_000, backoffBaseMs: 1000, backoffMaxMs: 15 * 60_000 },
  perClient: { failures: 20, windowMs: 15 * 60_000 },
  global: { failures: 300, windowMs: 60_000 },
  knownClientMs: 30 * 24 * 60 * 60_000,
  /** how long an attempt waits for pending ones with no outcome written before it is answered LOGIN_BUSY */
  pendingWaitMs: 10_000,
  /** a pending attempt this old is taken for a failure (its process died before writing the outcome) */
  pendingStaleMs: 2 * 60_000,
  /** attempts older than this are deleted (they no longer count anywhere) */
  keepAttemptsMs: 24 * 60 * 60_000,
} as const;

/** Registrations per client address: 20 an hour. */
export const registrationPolicy = { perClient: 20, windowMs: 60 * 60_000 } as const;

/**
 * What the database says about the scopes of one attempt (db/queries/login-attempts.ts), twice: counting
 * the known failures only, and counting pending attempts as failures too.
 */
export type AttemptCounts = { known: AttemptStats; withPending: AttemptStats };

/** The scopes of one attempt, counting one kind of attempts. */
export type AttemptStats = {
  /** the time of the Nth most recent failure in the window, N being the scope's limit; null below it */
  pairNth: Date | null;
  clientNth: Date | null;
  globalNth: Date | null;
  accountFailures: number;
  accountLatest: Date | null;
  /** the account has signed in from this client recently */
  knownClient: boolean;
};

export type LoginScope = 'pair' | 'account' | 'client' | 'global';

/** When this attempt may be made, if not now: the latest end of every limit it is over. */
export function loginWait(stats: AttemptStats, now: Date): { until: Date; scope: LoginScope } | null {
  const waits: { until: number; scope: LoginScope }[] = [];
  const after = (at: Date | null, ms: number, scope: LoginScope) => {
    if (at) waits.push({ until: at.getTime() + ms, scope });
  };
  after(stats.pairNth, loginPolicy.perPair.windowMs, 'pair');
  after(stats.clientNth, loginPolicy.perClient.windowMs, 'client');
  if (!stats.knownClient) {
    after(stats.globalNth, loginPolicy.global.windowMs, 'global');
    const { failures, backoffBaseMs, backoffMaxMs } = loginPolicy.perAccount;
    if (stats.accountFailures >= failures) {
      const backoff = Math.min(backoffMaxMs, backoffBaseMs * 2 ** (stats.accountFailures - failures));
      after(stats.accountLatest, backoff, 'account');
    }
  }
  const latest = waits.filter((w) => w.until > now.getTime()).sort((a, b) => b.until - a.until)[0];
  return latest ? { until: new Date(latest.until), scope: latest.scope } : null;
}

/**
 * Whether an attempt may reserve a slot now: `locked` when the known failures alone are over a limit (the
 * answer cannot change by waiting for pending attempts), `busy` when they are not but pending attempts
 * could still take the scope over it (the attempt waits for their outcomes).
 */
export function loginDecision(
  counts: AttemptCounts,
  now: Date,
): { kind: 'locked'; until: Date; scope: LoginScope } | { kind: 'busy' } | { kind: 'free' } {
  const locked = loginWait(counts.known, now);
  if (locked) return { kind: 'locked', ...locked };
  return loginWait(counts.withPending, now) ? { kind: 'busy' } : { kind: 'free' };
}
