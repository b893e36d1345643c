import { hashCost } from '../auth/password.ts';
import type { PasswordWork } from '../auth/password-work.ts';
import type { Database } from '../db/client.ts';
import {
  attemptStats,
  clientKey,
  lockUsername,
  markAttemptFailed,
  pruneLoginState,
  recordSuccess,
  releaseAttempt,
  reserveAttempt,
  usernameKey,
} from '../db/queries/login-attempts.ts';
import { createSession, revokeSession } from '../db/queries/sessions.ts';
import { findUserCredentials, type PublicUser, updateUserRow } from '../db/queries/users.ts';
import { actions } from '../domain/actions.ts';
import { fail } from '../domain/errors.ts';
import { type LoginScope, loginDecision, loginPolicy } from '../domain/login-policy.ts';
import { FOREIGN_KEY_VIOLATION, pgErrorCode } from '../errors.ts';
import type { Services } from '../services.ts';
import { actorOf, audit } from './audit.ts';
import type { Viewer } from './viewer.ts';

/** The client address a viewer came from (login and registration limits count per client). */
export const clientIpOf = (viewer: Viewer): string | null =>
  viewer.kind === 'system' ? null : viewer.clientIp;

export const secondsUntil = (until: Date, now: Date) =>
  Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

/**
 * Signs in: a new session and its token, or WRONG_CREDENTIALS (a failed attempt is logged), LOGIN_LOCKED
 * or LOGIN_BUSY (429 with Retry-After). The face sets the cookie, if it has one.
 */
export async function login(
  services: Services,
  viewer: Viewer,
  input: { username: string; password: string },
): Promise<{ token: string; expiresAt: Date; user: PublicUser }> {
  const result = await loginUser(services.db, services.passwords, { ...input, clientIp: clientIpOf(viewer) });
  if (result.kind === 'locked') {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    fail('LOGIN_LOCKED', { minutes, retryAfterSeconds: result.retryAfterSeconds, scope: result.scope });
  }
  if (result.kind === 'busy') fail('LOGIN_BUSY', { retryAfterSeconds: result.retryAfterSeconds });
  if (result.kind === 'invalid') fail('WRONG_CREDENTIALS');
  return { token: result.token, expiresAt: result.expiresAt, user: result.user };
}

/** Signs out: revokes exactly the viewer's session and drops it from this process's session cache. */
export async function logout(services: Services, viewer: Viewer): Promise<{ ok: true }> {
  if (viewer.kind !== 'user') fail('UNAUTHENTICATED');
  const sessionId = viewer.session.id;
  await services.db.transaction(async (tx) => {
    await revokeSession(tx, sessionId);
    await audit(tx, actorOf(viewer), actions.logout);
  });
  services.sessions.forgetSession(sessionId);
  return { ok: true };
}

export type LoginResult =
  | { kind: 'ok'; token: string; expiresAt: Date; user: PublicUser }
  | { kind: 'invalid' }
  | { kind: 'locked'; until: Date; retryAfterSeconds: number; scope: LoginScope }
  | { kind: 'busy'; retryAfterSeconds: number };

/** Seconds a client should wait when pending attempts on its scope did not finish in `pendingWaitMs`. */
export const LOGIN_BUSY_RETRY_AFTER_SECONDS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Checks a password without holding a database connection while bcrypt runs:
 *  1. a short transaction, serialised per username across every server process, reads the credentials,
 *     applies the limits (domain/login-policy.ts) and reserves the attempt's slot;
 *  2. bcrypt runs in the bounded queue (`passwords`), connection released;
 *  3. a short transaction writes the outcome (a failure, or the session).
 * No slot is reserved while known failures plus pending (reserved, unwritten) attempts reach a limit, so
 * concurrent attempts never get more guesses than the limits allow. Such an attempt is not told it is
 * locked out unless the known failures alone reach the limit: it waits, holding no connection, for the
 * pending outcomes (a success forgets its client's failures, so concurrent right passwords all pass),
 * and answers `busy` with a short Retry-After when no outcome was written for `pendingWaitMs`. Unknown users cost a bcrypt verify
 * too and are limited alike. `at` fixes the clock (tests); by default each step reads it.
 */
export async function loginUser(
  db: Database,
  passwords: PasswordWork,
  input: { username: string; password: string; clientIp: string | null },
  at?: Date,
): Promise<LoginResult> {
  const key = usernameKey(input.username);
  const client = clientKey(input.clientIp);
  let giveUpAt = Date.now() + loginPolicy.pendingWaitMs;
  let lastCounts = '';
  let reserved: { found: Awaited<ReturnType<typeof findUserCredentials>>; attemptId: number } | null = null;
  let now = at ?? new Date();
  for (let round = 0; !reserved; round++) {
    now = at ?? new Date();
    const step = await db.transaction(async (tx) => {
      await lockUsername(tx, key);
      const found = await findUserCredentials(tx, input.username);
      const counts = await attemptStats(tx, { key, client, userId: found?.id ?? null, now });
      const decision = loginDecision(counts, now);
      if (decision.kind === 'busy') return { kind: 'busy', counts: JSON.stringify(counts) } as const;
      if (decision.kind !== 'free') return decision;
      return { kind: 'reserved', found, attemptId: await reserveAttempt(tx, { key, client, now }) } as const;
    });
    if (step.kind === 'locked') {
      const { until, scope } = step;
      return { kind: 'locked', until, scope, retryAfterSeconds: secondsUntil(until, now) };
    }
    if (step.kind === 'reserved') {
      reserved = step;
    } else {
      // outcomes are being written: the wait is making progress, so give it more time
      if (step.counts !== lastCounts) giveUpAt = Date.now() + loginPolicy.pendingWaitMs;
      lastCounts = step.counts;
      if (Date.now() >= giveUpAt) return { kind: 'busy', retryAfterSeconds: LOGIN_BUSY_RETRY_AFTER_SECONDS };
      // pending attempts end after one bcrypt check (tens to hundreds of ms); poll with a little jitter
      await sleep(Math.min(250, 20 * 2 ** Math.min(round, 4)) * (0.75 + Math.random() / 2));
    }
  }
  const { found, attemptId } = reserved;

  let ok: boolean;
  let upgradedHash: string | null = null;
  try {
    ok = await passwords.verify(input.password, found?.passwordHash ?? null);
    // Upgrade legacy or weaker hashes while the plain password is at hand.
    if (ok && found && needsRehash(found.passwordHash, passwords.cost)) {
      upgradedHash = await passwords.hash(input.password);
    }
  } catch (error) {
    // not evaluated (the bcrypt queue is full): the slot does not count
    await releaseAttempt(db, attemptId);
    throw error;
  }

  if (!found || !ok) {
    await db.transaction(async (tx) => {
      await markAttemptFailed(tx, attemptId);
      await audit(tx, { userId: found?.id ?? null, username: input.username }, actions.loginFailed);
    });
    return { kind: 'invalid' };
  }
  const { passwordHash: _, ...user } = found;
  try {
    return await db.transaction(async (tx) => {
      if (upgradedHash) await updateUserRow(tx, user.id, { passwordHash: upgradedHash });
      await recordSuccess(tx, { attemptId, key, client, userId: user.id, now });
      if (attemptId % 64 === 0) await pruneLoginState(tx, user.id, now);
      const session = await createSession(tx, user.id, now);
      await audit(tx, { userId: user.id, username: user.username }, actions.loginSuccess);
      return { kind: 'ok' as const, token: session.token, expiresAt: session.expiresAt, user };
    });
  } catch (error) {
    // the user was deleted while their password was being checked
    if (pgErrorCode(error) !== FOREIGN_KEY_VIOLATION) throw error;
    await releaseAttempt(db, attemptId);
    return { kind: 'invalid' };
  }
}

const needsRehash = (passwordHash: string, cost: number) =>
  (hashCost(passwordHash) ?? 0) < cost || !passwordHash.startsWith('$2b$');
