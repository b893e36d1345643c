/** The queue of a ConcurrencyLimit is full: the caller should answer "busy, try again". */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

/**
 * Runs at most `max` tasks at once; the rest wait in arrival order, up to `maxQueued` of them.
 *
 * Forecast creation is a chain of database round trips with a little CPU work between them. Node runs
 * every continuation that is ready in one turn of the event loop, so 50 creates in flight at once make
 * each turn long and every other request (a health check, a page load) waits behind all of them. With
 * a few creates in flight, a turn stays short; the creates as a whole finish no later, since the
 * database pool serialises their round trips anyway.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly max: number,
    readonly maxQueued: number,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
    if (!Number.isInteger(maxQueued) || maxQueued < 0) {
      throw new RangeError('maxQueued must be a non-negative integer');
    }
  }

  /** tasks running now */
  get running(): number {
    return this.active;
  }

  /** tasks waiting for a slot */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) {
      if (this.waiting.length >= this.maxQueued) {
        throw new QueueFullError(`${this.waiting.length} tasks are already waiting`);
      }
      // the slot is handed over by the finishing task: `active` never drops and rises again
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
