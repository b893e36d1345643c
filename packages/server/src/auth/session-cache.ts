import type { Session } from '../db/queries/sessions.ts';

/**
 * How long a looked-up session is reused without asking the database. Revocation (logout, a password
 * change, a deleted user, a new role) takes effect at once in the process that made it (the routers
 * forget the entries) and within this time in every other replica: no notification is needed, and none
 * can be lost.
 */
export const SESSION_CACHE_MS = 500;

type Entry = {
  lookup: Promise<Session | null>;
  /** undefined while the lookup runs */
  session?: Session | null;
  cachedAt: number;
};

/**
 * Session lookups by token, reused for SESSION_CACHE_MS: a client making many requests at once (a
 * dashboard page, a script, a load balancer's fan-out) costs one database lookup per half second instead
 * of one per request. Concurrent misses for one token share one lookup. Only live sessions are kept.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number = SESSION_CACHE_MS,
    private readonly maxEntries = 10_000,
  ) {}

  async find(
    token: string,
    lookup: () => Promise<Session | null>,
    now = Date.now(),
  ): Promise<Session | null> {
    const cached = this.entries.get(token);
    if (cached && now - cached.cachedAt < this.ttlMs) {
      const session = await cached.lookup;
      if (session && session.expiresAt.getTime() > now) return session;
    }
    if (this.entries.get(token) === cached && cached) this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) this.evict(now);
    const entry: Entry = { lookup: lookup(), cachedAt: now };
    this.entries.set(token, entry);
    try {
      const session = await entry.lookup;
      entry.session = session;
      // unknown tokens are not kept: a flood of random tokens must not push live sessions out
      if (!session && this.entries.get(token) === entry) this.entries.delete(token);
      return session;
    } catch (error) {
      if (this.entries.get(token) === entry) this.entries.delete(token);
      throw error;
    }
  }

  /** After a logout: this session is gone. */
  forgetSession(sessionId: number): void {
    this.forget((session) => session.id === sessionId);
  }

  /** After a user's password, role or name changed, or the user was deleted. */
  forgetUser(userId: number): void {
    this.forget((session) => session.user.id === userId);
  }

  get size(): number {
    return this.entries.size;
  }

  private forget(matches: (session: Session) => boolean): void {
    for (const [token, entry] of this.entries) {
      // a lookup still in flight may return the state from before the change: drop it too
      if (entry.session === undefined || (entry.session && matches(entry.session)))
        this.entries.delete(token);
    }
  }

  private evict(now: number): void {
    for (const [token, entry] of this.entries) {
      if (now - entry.cachedAt >= this.ttlMs) this.entries.delete(token);
    }
    // still full: drop the oldest (a Map keeps insertion order)
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
