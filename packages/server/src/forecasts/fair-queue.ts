/** The whole queue is full: the caller should answer "busy, try again". */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

/** This key (user) already has `limit` tasks admitted in this process: refused at once. */
export class KeyLimitError extends Error {
  override name = 'KeyLimitError';
  constructor(readonly limit: number) {
    super(`${limit} tasks of this key are already in progress`);
  }
}

type Waiter = { seq: number; start: () => void };
type KeyState = {
  /** tasks of this key admitted and not finished (waiting, or running) */
  pending: number;
  /** tasks of this key holding a slot */
  running: number;
  waiting: Waiter[];
  /** when this key last got a slot (a sequence number); 0 = not since it was last idle */
  lastServed: number;
  /** tasks of single keys started while this key waited, since it last got a slot */
  passedOver: number;
};

export type FairQueueOptions = {
  /** tasks running at once */
  slots: number;
  /** tasks waiting for a slot, all keys together; beyond it QueueFullError */
  maxQueued: number;
  /** tasks admitted per key (waiting or running); beyond it KeyLimitError, at once */
  perKey: number;
  /**
   * slots one key may hold at once (default: all but one, at least one), so that with two slots or more
   * one key's work never fills every slot and another key's task starts without waiting for a slot
   */
  perKeyRunning?: number;
  /**
   * how many single keys' tasks may start ahead of a bulk key's waiting task before it takes a free slot
   * alongside them anyway (default 4): bulk work yields to single tasks, but is never starved by them
   */
  maxPassedOver?: number;
  /**
   * how long bulk work still waits after a single key's task ended (default 0): about the time its user
   * takes to send the next one, so that bulk work does not start in that gap and run beside it
   */
  singleGraceMs?: number;
  /** milliseconds now (default Date.now) */
  now?: () => number;
};

/**
 * Runs at most `slots` tasks at once. Tasks wait per key (a user), and a freed slot goes to the key that
 * has waited longest since it was last served, not to the next arrival: one user's hundred queued
 * forecasts cannot take another user's turn, who gets the next free slot. One key holds at most
 * `perKeyRunning` slots (by default all but one), so with two slots or more a user's burst leaves a slot
 * for the next user, who starts at once. A key may have at most `perKey` tasks admitted (so a flood is
 * refused at once, before it costs a query), and at most `maxQueued` tasks wait in all.
 *
 * A key with more than one task admitted is *bulk*; a key with one is *single* (a user who waits for
 * each answer before asking again). Bulk work takes only what single tasks leave over: a bulk key's task
 * does not start while a single key's task runs, even on a free slot, nor for `singleGraceMs` after one
 * ended (the gap before its user's next request; a timer starts the bulk task then), unless
 * `maxPassedOver` single tasks already went ahead of it (so single users in turn cannot starve it).
 * Why: the slots share one event loop and two cores with the database, so a create that runs next to
 * another runs about half as fast, and each of its steps waits behind the other's; a user whose creates
 * queue behind each other would otherwise have one running beside every create of everyone else,
 * doubling their latency, while it gains little itself. Measured in docs/benchmarks.md (flood).
 *
 * Why a bound on tasks at all: forecast creation is a chain of database round trips with a little CPU
 * work between them. Node runs every continuation that is ready in one turn of the event loop, so 50
 * creates in flight at once make each turn long and every other request (a health check, a page load)
 * waits behind all of them. With a few in flight, a turn stays short; the creates as a whole finish no
 * later, since the database pool serialises their round trips anyway.
 */
export class FairQueue {
  private active = 0;
  private waitingCount = 0;
  private seq = 0;
  private readonly keys = new Map<string, KeyState>();
  /** until when bulk work waits after a single task ended (ms, `now`'s clock) */
  private graceUntil = 0;
  private graceTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly now: () => number;

  readonly slots: number;
  readonly maxQueued: number;
  readonly perKey: number;
  readonly perKeyRunning: number;
  readonly maxPassedOver: number;
  readonly singleGraceMs: number;

  constructor(options: FairQueueOptions) {
    const { slots, maxQueued, perKey } = options;
    const perKeyRunning = options.perKeyRunning ?? Math.max(1, slots - 1);
    const maxPassedOver = options.maxPassedOver ?? 4;
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError('slots must be a positive integer');
    if (!Number.isInteger(maxQueued) || maxQueued < 0) {
      throw new RangeError('maxQueued must be a non-negative integer');
    }
    if (!Number.isInteger(perKey) || perKey < 1) throw new RangeError('perKey must be a positive integer');
    if (!Number.isInteger(perKeyRunning) || perKeyRunning < 1 || perKeyRunning > slots) {
      throw new RangeError('perKeyRunning must be a positive integer, at most slots');
    }
    if (!Number.isInteger(maxPassedOver) || maxPassedOver < 0) {
      throw new RangeError('maxPassedOver must be a non-negative integer');
    }
    const singleGraceMs = options.singleGraceMs ?? 0;
    if (!Number.isFinite(singleGraceMs) || singleGraceMs < 0) {
      throw new RangeError('singleGraceMs must be a non-negative number');
    }
    this.singleGraceMs = singleGraceMs;
    this.now = options.now ?? Date.now;
    this.perKeyRunning = perKeyRunning;
    this.maxPassedOver = maxPassedOver;
    this.slots = slots;
    this.maxQueued = maxQueued;
    this.perKey = perKey;
  }

  /** tasks running now */
  get running(): number {
    return this.active;
  }

  /** tasks waiting for a slot */
  get queued(): number {
    return this.waitingCount;
  }

  /** tasks of this key admitted and not finished */
  pending(key: string | number): number {
    return this.keys.get(String(key))?.pending ?? 0;
  }

  /**
   * Admits the task for `key` (or throws KeyLimitError / QueueFullError at once), runs `admitted` (work
   * that may refuse it before it waits, e.g. a quota check; if it throws, the admission is given back),
   * waits for a slot in the key's turn, then runs `task`.
   */
  async run<T>(key: string | number, task: () => Promise<T>, admitted?: () => Promise<void>): Promise<T> {
    const name = String(key);
    let state = this.keys.get(name);
    if (state && state.pending >= this.perKey) throw new KeyLimitError(this.perKey);
    if (!state) {
      state = { pending: 0, running: 0, waiting: [], lastServed: 0, passedOver: 0 };
      this.keys.set(name, state);
    }
    state.pending++;
    const own = state;
    try {
      await admitted?.();
      // this key's admission may have changed who may start (a single key turned bulk): waiters first
      this.dispatch();
      if (
        this.active < this.slots &&
        own.waiting.length === 0 &&
        this.mayStart(own, this.singleRunning(), this.now())
      ) {
        this.start(own);
      } else {
        if (this.waitingCount >= this.maxQueued) {
          throw new QueueFullError(`${this.waitingCount} tasks are already waiting`);
        }
        // the slot is handed over by `dispatch`: `active` counts this task from then on
        await new Promise<void>((resolve) => {
          own.waiting.push({ seq: ++this.seq, start: resolve });
          this.waitingCount++;
        });
      }
    } catch (error) {
      this.settle(name, own);
      this.dispatch();
      throw error;
    }
    try {
      return await task();
    } finally {
      if (own.pending === 1 && this.singleGraceMs > 0) {
        this.graceUntil = Math.max(this.graceUntil, this.now() + this.singleGraceMs);
      }
      own.running--;
      this.active--;
      this.settle(name, own);
      this.dispatch();
    }
  }

  /** The task of this key ended (or never got a slot): forget the key once it has nothing pending. */
  private settle(name: string, state: KeyState): void {
    state.pending--;
    if (state.pending === 0 && this.keys.get(name) === state) this.keys.delete(name);
  }

  /** tasks of single keys (one task admitted) running now */
  private singleRunning(): number {
    let n = 0;
    for (const state of this.keys.values()) if (state.pending === 1) n += state.running;
    return n;
  }

  /** Whether a task of this key may take a free slot now. */
  private mayStart(state: KeyState, singleRunning: number, now: number): boolean {
    if (state.running >= this.perKeyRunning) return false;
    const bulk = state.pending > 1;
    if (!bulk || state.passedOver >= this.maxPassedOver) return true;
    return singleRunning === 0 && now >= this.graceUntil;
  }

  /** Gives a slot to a task of `state` (its head waiter, or the caller when it did not wait). */
  private start(state: KeyState): void {
    this.active++;
    state.running++;
    state.lastServed = ++this.seq;
    state.passedOver = 0;
    if (state.pending !== 1) return;
    // a single task goes ahead of every bulk key waiting now
    for (const other of this.keys.values()) if (other.waiting.length > 0) other.passedOver++;
  }

  /**
   * Gives free slots to waiting keys, each to the one served least recently (ties: the earliest waiter)
   * among those that may start; none: the slot stays free.
   */
  private dispatch(): void {
    const now = this.now();
    while (this.active < this.slots) {
      const singleRunning = this.singleRunning();
      let next: KeyState | null = null;
      for (const state of this.keys.values()) {
        const head = state.waiting[0];
        if (!head || !this.mayStart(state, singleRunning, now)) continue;
        if (
          !next ||
          state.lastServed < next.lastServed ||
          (state.lastServed === next.lastServed && head.seq < (next.waiting[0]?.seq ?? 0))
        ) {
          next = state;
        }
      }
      const waiter = next?.waiting.shift();
      if (!next || !waiter) break;
      this.waitingCount--;
      this.start(next);
      waiter.start();
    }
    // bulk work held back by the grace after a single task: dispatch again once it ends
    if (this.active < this.slots && this.waitingCount > 0 && now < this.graceUntil && !this.graceTimer) {
      this.graceTimer = setTimeout(() => {
        this.graceTimer = null;
        this.dispatch();
      }, this.graceUntil - now);
      this.graceTimer.unref?.();
    }
  }
}
