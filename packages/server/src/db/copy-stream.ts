import type { Writable } from 'node:stream';
import type { Sql } from 'postgres';

/** A COPY failed: the transaction it ran in is aborted. */
export class CopyFailedError extends Error {
  override name = 'CopyFailedError';
}

/** Resolves at the stream's next 'drain', 'error' or 'close', whichever comes first. */
function drained(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}

/**
 * One `COPY … FROM STDIN` at a time on a postgres.js connection, written chunk by chunk with
 * backpressure. While it is open no other query may run on the connection.
 *
 * postgres.js 3.4 loses an error that PostgreSQL reports after the end of the COPY data: its writable
 * never finishes and the query has already resolved. So `end` does not wait for the stream to finish;
 * once the end of the data is on the wire (`_final` ran) a `select 1` follows, which fails when the COPY
 * did. An error reported mid-COPY destroys the stream: the next `write` throws.
 */
export class CopyStream {
  private stream: Writable | null = null;
  private streamError: unknown = null;

  constructor(
    private readonly connection: Sql,
    /** opens the COPY, e.g. ``(c) => c`copy t (a, b) from stdin`.writable()`` */
    private readonly open: (connection: Sql) => Promise<Writable>,
    /** the error thrown when the COPY failed, from its cause */
    private readonly failure: (cause: unknown) => CopyFailedError,
  ) {}

  /** true while a COPY is in progress on the connection */
  get active(): boolean {
    return this.stream !== null;
  }

  async start(): Promise<void> {
    const stream = await this.open(this.connection);
    this.streamError = null;
    stream.on('error', (error) => {
      this.streamError = error;
    });
    this.stream = stream;
  }

  /** Sends `text` (the COPY must be active); waits when the socket cannot take more yet. */
  async write(text: string): Promise<void> {
    const stream = this.current();
    if (this.streamError === null && !stream.destroyed && !stream.write(text)) await drained(stream);
    // The server reported an error mid-COPY: postgres.js destroyed the stream with it.
    if (this.streamError !== null || stream.destroyed) throw this.failure(this.streamError);
  }

  /** Sends `text`, ends the COPY and checks that it succeeded; the connection is free again after. */
  async end(text: string): Promise<void> {
    const stream = this.current();
    const dataSent = new Promise<void>((resolve) => {
      const final = stream._final?.bind(stream);
      stream._final = (callback) => {
        final?.(callback);
        resolve();
      };
      stream.once('close', () => resolve());
    });
    stream.end(text);
    await dataSent;
    this.stream = null;
    try {
      await this.connection`select 1`;
    } catch (error) {
      throw this.failure(this.streamError ?? error);
    }
    if (this.streamError !== null) throw this.failure(this.streamError);
  }

  /** Cancels a COPY in progress: the server fails it, aborting the transaction. */
  async abort(): Promise<void> {
    const stream = this.stream;
    this.stream = null;
    if (!stream || stream.destroyed) return;
    const closed = new Promise((resolve) => stream.once('close', resolve));
    stream.destroy(new Error('import cancelled'));
    await closed;
  }

  private current(): Writable {
    if (this.stream === null) throw new Error('no COPY in progress');
    return this.stream;
  }
}
